import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./render-markdown.ts";
import { divergenceRecord, flakeRecord, fuzzSummary, NASTY, nastyRecord, scenario, scenarioSummary } from "./_testing/fixtures.ts";

/** Cells of a GFM table row: split on pipes not escaped by a backslash. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\") {
      cell += c + (line[i + 1] ?? "");
      i++;
    } else if (c === "|") {
      out.push(cell);
      cell = "";
    } else cell += c;
  }
  out.push(cell);
  return out.slice(1, -1).map((s) => s.trim());
}

/** Every table keeps its header's column count on every row. */
function expectTablesIntact(md: string): void {
  let columns: number | undefined;
  for (const line of md.split("\n")) {
    if (!line.startsWith("|")) {
      columns = undefined;
      continue;
    }
    expect(line.endsWith("|"), line).toBe(true);
    const n = cells(line).length;
    if (columns === undefined) columns = n;
    else expect(n, line).toBe(columns);
  }
}

/** Every fenced block is closed by its own fence and no line inside could close it earlier. */
function expectFencesIntact(md: string): void {
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})/.exec(lines[i] ?? "");
    if (open === null) continue;
    const fence = open[1]!;
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? "").startsWith(fence)) j++;
    expect(lines[j], `fence opened on line ${i + 1} is never closed`).toBe(fence);
    i = j;
  }
}

describe("renderMarkdown", () => {
  const md = renderMarkdown(fuzzSummary(), [divergenceRecord(), divergenceRecord({ case: { ...divergenceRecord().case, id: "c20" } }), flakeRecord()]);

  it("opens with the headline: run id, verdict, versions, gate, counts, rates, wall time", () => {
    expect(md.split("\n")[0]).toBe("# impfuzz run run-20261128-0001: ❌ 2 divergences");
    for (const fact of [
      "| **Kubernetes** | 1.37.2 (server v1.37.2) |",
      "| **ConstrainedImpersonation gate** | on |",
      "| **Versions** | impfuzz 0.1.0, Node v20.20.2 |",
      "| **Cases** | 120 |",
      "| **Probes** | 480 |",
      "| **Probes/s** | 0.7 |",
      "| **Wall time** | 12 m 04 s |",
      "| **Divergences** | 2 |",
      "| **Flakes** | 1 |",
      "| **Indeterminate fields** | 3 |",
    ]) {
      expect(md).toContain(fact);
    }
    expect(md).toContain("| message: aggregated error text | 3 |");
  });

  it("groups divergences by classification, then shows each record", () => {
    expect(md).toContain("## Divergences (2)");
    expect(md).toContain("### outcome: allowed where impersonation-denied predicted (2)");
    expect(md.match(/^#### /gm)).toHaveLength(3);
    expect(md).toContain('#### <a id="divergence-c17-probe-0"></a>case c17, probe 0');
    expect(md).toContain('#### <a id="divergence-c20-probe-0"></a>case c20, probe 0');
  });

  it("puts predicted and observed side by side per differing field and highlights the first differing check", () => {
    expect(md).toContain('| **outcome** | `"impersonation-denied"` | `"allowed"` |');
    expect(md).toContain("| **checks** | `2 checks` | `3 checks` |");
    expect(md).toContain("**First differing check: #1** (`version`)");
    expect(md).toContain('| **⚠ version** | `""` | `"v1"` |');
    expect(md).toContain('| verb | `"impersonate:user-info"` | `"impersonate:user-info"` |');
    expect(md).toContain('| **➜ 1** | `alice: impersonate:user-info users.authentication.k8s.io "bob" → deny by none` |');
    expect(md).toContain("| ≠ 2 | — | `bob: list pods in default` |");
  });

  it("shows the case: requestor and objects as YAML, the request with its headers", () => {
    expect(md).toContain("```yaml\nusername: alice\n");
    expect(md).toContain("```http\nGET /api/v1/namespaces/default/pods\nImpersonate-User: bob\nImpersonate-Group: devs\n```");
    expect(md).toContain("kind: ClusterRole\nmetadata:\n  name: c17-impersonate-on");
    expect(md).toContain("- `constraint`: audit log not available");
  });

  it("shows flakes with the replay column, and coverage with unreached cells", () => {
    expect(md).toContain("## Flakes (1)");
    expect(md).toContain("| field | predicted | observed | replay |");
    expect(md).toContain("| **code** | `403` | `500` | `403` |");
    expect(md).toContain("| `user-info × allowed × direct` | 40 |");
    expect(md).toContain("Unreached cells (1):\n\n- `arbitrary-node × allowed × fallback`");
    expectTablesIntact(md);
    expectFencesIntact(md);
  });

  it("renders the scenarios table and the failed steps with the side that disagreed", () => {
    const s = renderMarkdown(scenarioSummary(), []);
    expect(s.split("\n")[0]).toBe("# impfuzz scenarios run-20261128-0001: ❌ 1 scenario failed, 1 harness error");
    expect(s).toContain("| ✅ passed | user-info allowed | `scenarios/upstream` | 1 step | 0.25 s |");
    expect(s).toContain("| ❌ failed | deny \\| pipes \\`and\\` \\<b\\>tags\\</b\\> | `scenarios/kep` | 1 of 2 steps failed | 1.50 s |");
    expect(s).toContain("| ⏭ skipped | needs 1.38 | `scenarios/kep` | requires kube \\>= 1.38 | 0.25 s |");
    expect(s).toContain("| 💥 error | broken | `scenarios/bugs` | ClusterUnreachableError: connection refused<br>at line 2 | 0.25 s |");
    expect(s).toContain('- step 2 "denied", disagreed: **expect+oracle**\n  - `expect code: expected 403, observed 200`');
    expectTablesIntact(s);
    expectFencesIntact(s);
  });

  it("says an aborted run is aborted", () => {
    const s = renderMarkdown(fuzzSummary({ aborted: "interrupted (SIGINT)" }), []);
    expect(s.split("\n")[0]).toBe("# impfuzz run run-20261128-0001: ❌ aborted");
    expect(s).toContain("> **Aborted:** interrupted (SIGINT)");
  });
});

describe("renderMarkdown: escaping", () => {
  const summary = {
    ...fuzzSummary({ coverage: { cells: { [NASTY]: 1 }, unreached: [NASTY] }, indeterminates: { [NASTY]: 2 } }),
    scenarios: [scenario({ name: NASTY, file: `${NASTY}/x.yaml`, skipped: NASTY })],
  };
  const md = renderMarkdown(summary, [nastyRecord()]);

  it("keeps every table row's columns and every fence closed", () => {
    expectTablesIntact(md);
    expectFencesIntact(md);
    // The object holds ``` and ```` lines: its block needs a five-backtick fence.
    expect(md).toContain("`````yaml\napiVersion: v1");
  });

  it("escapes text in headings and cells, so no markup from the input is live", () => {
    expect(md).toContain("### message: \\<script\\>alert(1)\\</script\\> \\]\\]\\> a\\|b \\`tick\\` \\`\\`\\` \\$x\\$ \\*em\\* \\\\0");
    expect(md).toContain("| **message** | ``");
    for (const line of md.split("\n").filter((l) => l.startsWith("#") || l.startsWith("| "))) {
      // Outside code spans, a raw < only opens our own anchor tag or <br>.
      const outsideCode = line.replace(/(`+)(?:(?!\1).)*?\1/g, "");
      expect(outsideCode.replace(/<a id="[^"]*"><\/a>|<br>/g, ""), line).not.toMatch(/(^|[^\\])</);
    }
  });

  it("writes no control characters, and keeps emoji", () => {
    expect(md).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(md).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(md).toContain("😀");
    // A CR/LF in a header value cannot forge another header line in the request block.
    expect(md).toContain(": v\\r\\nInjected: 1");
    expect(md).not.toMatch(/^Injected: 1/m);
  });
});
