import { describe, expect, it } from "vitest";
import { renderHtml } from "./render-html.ts";
import { divergenceRecord, flakeRecord, fuzzSummary, NASTY, nastyRecord, scenario, scenarioSummary } from "./_testing/fixtures.ts";

const VOID = new Set(["meta", "br"]);

/** Tags in document order; checks they nest and lists their names (attribute values are escaped, so `>` ends a tag). */
function tagsOf(doc: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  for (const m of doc.replace(/^<!DOCTYPE html>/, "").matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>/g)) {
    const [, closing, raw] = m;
    const name = raw!.toLowerCase();
    names.push(name);
    if (VOID.has(name)) continue;
    if (closing === "") stack.push(name);
    else expect(stack.pop(), `</${name}> at ${m.index}`).toBe(name);
  }
  expect(stack).toEqual([]);
  return names;
}

describe("renderHtml", () => {
  const page = renderHtml(fuzzSummary(), [divergenceRecord(), flakeRecord()]);

  it("is one self-contained page: inline CSS, no scripts, no external assets", () => {
    expect(page.startsWith("<!DOCTYPE html>\n")).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    const tags = tagsOf(page);
    expect(tags.filter((t) => ["script", "link", "img", "iframe", "object"].includes(t))).toEqual([]);
    expect(page).not.toMatch(/\b(src|href)=|url\(|@import/i);
  });

  it("has the markdown report's content, one <details> per record", () => {
    expect(page).toContain("<h1>impfuzz run run-20261128-0001 <span class=\"bad\">❌ 1 divergence</span></h1>");
    expect(page).toContain('<th scope="row">Probes/s</th><td>0.7</td>');
    expect(page).toContain("<h3>outcome: allowed where impersonation-denied predicted (1)</h3>");
    expect(page.match(/<details id=/g)).toHaveLength(2);
    expect(page).toContain('<details id="divergence-c17-probe-0">\n<summary>case c17, probe 0</summary>');
    expect(page).toContain('<tr class="diff"><th scope="row">outcome</th><td><code>&quot;impersonation-denied&quot;</code></td><td><code>&quot;allowed&quot;</code></td></tr>');
    expect(page).toContain('<h4>First differing check: #1 (<code>version</code>)</h4>');
    expect(page).toContain('<tr class="first"><th scope="row">⚠ version</th><td><code>&quot;&quot;</code></td><td><code>&quot;v1&quot;</code></td></tr>');
    expect(page).toContain('<tr class="first"><th scope="row">➜ 1</th>');
    expect(page).toContain("<pre>GET /api/v1/namespaces/default/pods\nImpersonate-User: bob\nImpersonate-Group: devs</pre>");
    expect(page).toContain("<h2>Flakes (1)</h2>");
    expect(page).toContain("<th>replay</th>");
    expect(page).toContain("<li><code>arbitrary-node × allowed × fallback</code></li>");
  });

  it("renders scenarios with failed ones expanded", () => {
    const s = renderHtml(scenarioSummary(), []);
    tagsOf(s);
    expect(s).toContain("<td>deny | pipes `and` &lt;b&gt;tags&lt;/b&gt;</td>");
    expect(s).toContain("<strong>expect+oracle</strong>");
    expect(s).toContain("<li><code>expect code: expected 403, observed 200</code></li>");
    expect(s.match(/<details open>/g)).toHaveLength(2);
  });
});

describe("renderHtml: escaping", () => {
  const summary = {
    ...fuzzSummary({ coverage: { cells: { [NASTY]: 1 }, unreached: [NASTY] }, aborted: NASTY }),
    scenarios: [scenario({ name: NASTY, file: `${NASTY}/x.yaml`, passed: false, error: NASTY, steps: [] })],
  };
  const page = renderHtml(summary, [nastyRecord()]);

  it("lets no markup from the input through", () => {
    const tags = tagsOf(page);
    expect(tags).not.toContain("script");
    expect(page).not.toContain("<script");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; a|b `tick` ``` $x$ *em* \\0 \\u0001 \\u001f \\uffff 😀 &amp; &quot;q&quot; &#39;a&#39; \\ud800 end");
  });

  it("writes no control characters or unpaired surrogates, and keeps emoji", () => {
    expect(page).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(page).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(page).toContain("😀");
    expect(page).not.toMatch(/^Injected: 1/m);
  });
});
