import type { JournalRecord, RunSummary } from "../core/index.ts";
import { html } from "./_internals/escape.ts";
import { stepFailureText, stepLabel, stepSides } from "./_internals/record-text.ts";
import { buildReportModel, type RecordView, type ReportModel, type ScenarioView } from "./_internals/report-model.ts";
import { formatSeconds, plural } from "./_internals/text.ts";

/**
 * `report.html`: the Markdown report's content as one self-contained page: inline CSS, no scripts,
 * no external assets (a Content-Security-Policy forbids them, so even an escaping mistake could not
 * load or run anything), `<details>` to expand each record. Every string is HTML-escaped.
 */
export function renderHtml(summary: RunSummary, records: readonly JournalRecord[]): string {
  const model = buildReportModel(summary, records);
  const body: string[] = [];
  body.push(`<h1>${html(model.title)} <span class="${model.verdict.ok ? "ok" : "bad"}">${model.verdict.ok ? "✅" : "❌"} ${html(model.verdict.text)}</span></h1>`);
  if (model.aborted !== undefined) body.push(`<p class="aborted"><strong>Aborted:</strong> ${html(model.aborted)}</p>`);
  body.push(table(["", ""], model.facts.map((f) => [`<th scope="row">${html(f.label)}</th>`, td(f.value)]), "facts"));
  indeterminates(body, model);
  divergences(body, model);
  flakes(body, model);
  coverage(body, model);
  if (model.scenarios !== undefined) scenarios(body, model.scenarios);
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(model.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
code{background:#f6f8fa;padding:0 .2rem;border-radius:3px;word-break:break-all}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
details{border:1px solid #d0d7de;border-radius:6px;padding:.4rem .8rem;margin:.5rem 0}summary{cursor:pointer;font-weight:600}
tr.diff td,tr.diff th{background:#fff8c5}tr.first td,tr.first th{background:#ffebe9;font-weight:600}
.ok{color:#1a7f37}.bad{color:#cf222e}.aborted{background:#ffebe9;padding:.5rem;border-left:4px solid #cf222e}
.facts th{width:16rem}.muted{color:#656d76}.side{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
`.trim();

function td(text: string, code = false): string {
  return `<td>${code ? `<code>${html(text)}</code>` : html(text)}</td>`;
}

/** `cells` are already markup (`<td>`/`<th>`); `header` is text. */
function table(header: readonly string[], rows: readonly (readonly string[])[], cls = "", rowClasses: readonly string[] = []): string {
  const head = header.every((h) => h === "") ? "" : `<thead><tr>${header.map((h) => `<th>${html(h)}</th>`).join("")}</tr></thead>`;
  const bodyRows = rows.map((cells, i) => {
    const rc = rowClasses[i] ?? "";
    return `<tr${rc === "" ? "" : ` class="${rc}"`}>${cells.join("")}</tr>`;
  });
  return `<table${cls === "" ? "" : ` class="${cls}"`}>${head}<tbody>${bodyRows.join("")}</tbody></table>`;
}

function indeterminates(out: string[], model: ReportModel): void {
  if (model.indeterminates.length === 0) return;
  out.push("<h2>Indeterminate fields</h2>", "<p>Fields the oracle could not decide, not compared:</p>");
  out.push(table(["field: reason", "probes"], model.indeterminates.map(([k, n]) => [td(k), td(String(n))])));
}

function divergences(out: string[], model: ReportModel): void {
  out.push(`<h2>Divergences (${model.divergenceCount})</h2>`);
  if (model.divergenceGroups.length === 0) {
    out.push(`<p>${model.divergenceCount === 0 ? "None." : "The journal holds none of them (see <code>divergences.jsonl</code>)."}</p>`);
    return;
  }
  out.push(table(["classification", "records"], model.divergenceGroups.map((g) => [td(g.classification), td(String(g.records.length))])));
  for (const group of model.divergenceGroups) {
    out.push(`<h3>${html(group.classification)} (${group.records.length})</h3>`);
    for (const view of group.records) out.push(recordDetails(view));
  }
}

function flakes(out: string[], model: ReportModel): void {
  if (model.flakes.length === 0) return;
  out.push(`<h2>Flakes (${model.flakes.length})</h2>`, "<p>Divergences that a replay on a fresh requestor did not reproduce the same way.</p>");
  for (const view of model.flakes) out.push(recordDetails(view));
}

function recordDetails(view: RecordView): string {
  const out: string[] = [];
  const label = view.record.kind === "flake" ? `${view.title}: ${view.classification}` : view.title;
  out.push(`<details id="${html(view.anchor)}">`, `<summary>${html(label)}</summary>`);
  out.push(table(["", ""], view.facts.map((f) => [`<th scope="row">${html(f.label)}</th>`, td(f.value, true)]), "facts"));

  if (view.fieldRows.length > 0) {
    const withReplay = view.fieldRows.some((r) => r.replay !== undefined);
    const header = withReplay ? ["field", "predicted", "observed", "replay"] : ["field", "predicted", "observed"];
    const rows = view.fieldRows.map((r) => {
      const cells = [`<th scope="row">${html(r.field)}</th>`, td(r.predicted, true), td(r.observed, true)];
      if (withReplay) cells.push(td(r.replay ?? "", true));
      return cells;
    });
    out.push("<h4>Predicted vs observed</h4>", table(header, rows, "", view.fieldRows.map(() => "diff")));
  }

  if (view.firstCheck !== undefined) {
    const fields = view.firstCheck.fields.map((f) => `<code>${html(f)}</code>`).join(", ");
    out.push(`<h4>First differing check: #${view.firstCheck.index}${fields === "" ? "" : ` (${fields})`}</h4>`);
    out.push(
      table(
        ["attribute", "predicted", "observed"],
        view.firstCheck.rows.map((r) => [`<th scope="row">${r.differs ? "⚠ " : ""}${html(r.attribute)}</th>`, td(r.predicted, true), td(r.observed, true)]),
        "",
        view.firstCheck.rows.map((r) => (r.differs ? "first" : "")),
      ),
    );
  }

  if (view.checkRows.length > 0) {
    out.push("<h4>Checks in order</h4>");
    out.push(
      table(
        ["#", "predicted", "observed"],
        view.checkRows.map((r) => [
          `<th scope="row">${r.first ? "➜ " : r.differs ? "≠ " : ""}${r.index}</th>`,
          r.predicted === null ? td("—") : td(r.predicted, true),
          r.observed === null ? td("—") : td(r.observed, true),
        ]),
        "",
        view.checkRows.map((r) => (r.first ? "first" : r.differs ? "diff" : "")),
      ),
    );
  } else {
    out.push('<p class="muted">No checks on either side.</p>');
  }

  if (view.skipped.length > 0) {
    out.push("<h4>Not compared</h4>", `<ul>${view.skipped.map((s) => `<li><code>${html(s.field)}</code>: ${html(s.reason)}</li>`).join("")}</ul>`);
  }

  out.push('<div class="side">');
  out.push(`<div><h4>Requestor</h4><pre>${html(view.requestorYaml)}</pre></div>`);
  out.push(`<div><h4>Request</h4><pre>${html(view.requestText)}</pre></div>`);
  out.push("</div>");
  out.push(`<h4>Objects (${view.record.case.objects.length})</h4>`, `<pre>${html(view.objectsYaml)}</pre>`);
  out.push("</details>");
  return out.join("\n");
}

function coverage(out: string[], model: ReportModel): void {
  const { cells, unreached } = model.coverage;
  if (cells.length === 0 && unreached.length === 0) return;
  out.push("<h2>Coverage</h2>");
  if (cells.length > 0) out.push(table(["cell", "probes"], cells.map(([c, n]) => [td(c, true), td(String(n))])));
  out.push(
    unreached.length === 0
      ? "<p>Every reachable cell was hit.</p>"
      : `<p>Unreached cells (${unreached.length}):</p><ul>${unreached.map((c) => `<li><code>${html(c)}</code></li>`).join("")}</ul>`,
  );
}

const STATUS_MARK: Readonly<Record<ScenarioView["status"], string>> = { passed: "✅ passed", failed: "❌ failed", skipped: "⏭ skipped", error: "💥 error" };

function scenarios(out: string[], list: readonly ScenarioView[]): void {
  out.push(`<h2>Scenarios (${list.length})</h2>`);
  if (list.length === 0) {
    out.push("<p>None ran.</p>");
    return;
  }
  const rows = list.map((s) => {
    const note = s.status === "failed" ? `${s.failedSteps.length} of ${s.result.steps.length} steps failed` : s.detail === "" ? plural(s.result.steps.length, "step") : s.detail;
    return [td(STATUS_MARK[s.status]), td(s.name), td(s.folder, true), td(note), td(formatSeconds(s.result.seconds))];
  });
  out.push(table(["result", "scenario", "folder", "steps", "time"], rows, "", list.map((s) => (s.status === "failed" || s.status === "error" ? "diff" : ""))));
  for (const s of list.filter((x) => x.status === "failed" || x.status === "error")) {
    out.push(`<details open><summary>${html(STATUS_MARK[s.status])}: ${html(s.name)} <span class="muted">${html(s.file)}</span></summary>`);
    if (s.status === "error") out.push(`<pre>${html(s.detail)}</pre>`);
    if (s.failedSteps.length > 0) {
      out.push("<ul>");
      for (const step of s.failedSteps) {
        const failures = step.failures.map((f) => `<li><code>${html(stepFailureText(f))}</code></li>`).join("");
        out.push(`<li>${html(stepLabel(step))}, disagreed: <strong>${html(stepSides(step))}</strong><ul>${failures}</ul></li>`);
      }
      out.push("</ul>");
    }
    out.push("</details>");
  }
}
