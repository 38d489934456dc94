import type { JournalRecord, RunSummary } from "../core/index.ts";
import { mdCode, mdFence, mdText } from "./_internals/escape.ts";
import { stepFailureText, stepLabel, stepSides } from "./_internals/record-text.ts";
import { buildReportModel, type Fact, type RecordView, type ReportModel, type ScenarioView } from "./_internals/report-model.ts";
import { formatSeconds, plural } from "./_internals/text.ts";

/**
 * `report.md`: the run for a reviewer. Headline facts; divergences grouped by classification, each
 * with predicted vs observed per differing field, the first differing check attribute by attribute,
 * both ordered check lists, and the case (requestor, request with headers, objects as YAML); flakes;
 * coverage; scenarios. Text in tables and headings is Markdown-escaped (pipes, backticks, emphasis,
 * raw HTML); values are code spans; YAML and requests are fenced blocks whose fence no content can
 * close.
 */
export function renderMarkdown(summary: RunSummary, records: readonly JournalRecord[]): string {
  const model = buildReportModel(summary, records);
  const out: string[] = [];
  out.push(`# ${mdText(model.title)}: ${model.verdict.ok ? "✅" : "❌"} ${mdText(model.verdict.text)}`, "");
  if (model.aborted !== undefined) out.push(`> **Aborted:** ${mdText(model.aborted)}`, "");
  out.push(...factTable(model.facts), "");
  indeterminates(out, model);
  divergences(out, model);
  flakes(out, model);
  coverage(out, model);
  if (model.scenarios !== undefined) scenarios(out, model.scenarios);
  return `${out.join("\n").trimEnd()}\n`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)];
}

function factTable(facts: readonly Fact[]): string[] {
  return table(
    ["", ""],
    facts.map((f) => [`**${mdText(f.label)}**`, mdText(f.value)]),
  );
}

function indeterminates(out: string[], model: ReportModel): void {
  if (model.indeterminates.length === 0) return;
  out.push("## Indeterminate fields", "", "Fields the oracle could not decide, not compared:", "");
  out.push(...table(["field: reason", "probes"], model.indeterminates.map(([k, n]) => [mdText(k), String(n)])), "");
}

function divergences(out: string[], model: ReportModel): void {
  out.push(`## Divergences (${model.divergenceCount})`, "");
  if (model.divergenceGroups.length === 0) {
    out.push(model.divergenceCount === 0 ? "None." : "The journal holds none of them (see `divergences.jsonl`).", "");
    return;
  }
  out.push(...table(["classification", "records"], model.divergenceGroups.map((g) => [mdText(g.classification), String(g.records.length)])), "");
  for (const group of model.divergenceGroups) {
    out.push(`### ${mdText(group.classification)} (${group.records.length})`, "");
    for (const view of group.records) recordSection(out, view);
  }
}

function flakes(out: string[], model: ReportModel): void {
  if (model.flakes.length === 0) return;
  out.push(`## Flakes (${model.flakes.length})`, "", "Divergences that a replay on a fresh requestor did not reproduce the same way.", "");
  for (const view of model.flakes) recordSection(out, view);
}

function recordSection(out: string[], view: RecordView): void {
  out.push(`#### <a id="${view.anchor}"></a>${mdText(view.title)}`, "");
  if (view.record.kind === "flake") out.push(`Flake: ${mdText(view.classification)}`, "");
  out.push(view.facts.map((f) => `**${mdText(f.label)}:** ${mdCode(f.value)}`).join(" · "), "");

  if (view.fieldRows.length > 0) {
    const withReplay = view.fieldRows.some((r) => r.replay !== undefined);
    const header = withReplay ? ["field", "predicted", "observed", "replay"] : ["field", "predicted", "observed"];
    const rows = view.fieldRows.map((r) => {
      const cells = [`**${r.field}**`, mdCode(r.predicted, { inTable: true }), mdCode(r.observed, { inTable: true })];
      if (withReplay) cells.push(r.replay === undefined ? "" : mdCode(r.replay, { inTable: true }));
      return cells;
    });
    out.push("**Predicted vs observed**", "", ...table(header, rows), "");
  }

  if (view.firstCheck !== undefined) {
    const fields = view.firstCheck.fields.length === 0 ? "" : ` (${view.firstCheck.fields.map((f) => mdCode(f)).join(", ")})`;
    out.push(`**First differing check: #${view.firstCheck.index}**${fields}`, "");
    const rows = view.firstCheck.rows.map((r) => {
      const name = r.differs ? `**⚠ ${mdText(r.attribute)}**` : mdText(r.attribute);
      return [name, mdCode(r.predicted, { inTable: true }), mdCode(r.observed, { inTable: true })];
    });
    out.push(...table(["attribute", "predicted", "observed"], rows), "");
  }

  if (view.checkRows.length > 0) {
    const rows = view.checkRows.map((r) => {
      const index = r.first ? `**➜ ${r.index}**` : r.differs ? `≠ ${r.index}` : String(r.index);
      return [index, r.predicted === null ? "—" : mdCode(r.predicted, { inTable: true }), r.observed === null ? "—" : mdCode(r.observed, { inTable: true })];
    });
    out.push("**Checks in order**", "", ...table(["#", "predicted", "observed"], rows), "");
  } else {
    out.push("**Checks in order:** none on either side.", "");
  }

  if (view.skipped.length > 0) {
    out.push("**Not compared:**", "", ...view.skipped.map((s) => `- ${mdCode(s.field)}: ${mdText(s.reason)}`), "");
  }

  out.push("**Requestor**", "", mdFence(view.requestorYaml, "yaml"), "");
  out.push("**Request**", "", mdFence(view.requestText, "http"), "");
  out.push(`**Objects** (${view.record.case.objects.length})`, "", mdFence(view.objectsYaml, "yaml"), "");
}

function coverage(out: string[], model: ReportModel): void {
  const { cells, unreached } = model.coverage;
  if (cells.length === 0 && unreached.length === 0) return;
  out.push("## Coverage", "");
  if (cells.length > 0) out.push(...table(["cell", "probes"], cells.map(([c, n]) => [mdCode(c, { inTable: true }), String(n)])), "");
  if (unreached.length > 0) {
    out.push(`Unreached cells (${unreached.length}):`, "", ...unreached.map((c) => `- ${mdCode(c)}`), "");
  } else {
    out.push("Every reachable cell was hit.", "");
  }
}

const STATUS_MARK: Readonly<Record<ScenarioView["status"], string>> = { passed: "✅ passed", failed: "❌ failed", skipped: "⏭ skipped", error: "💥 error" };

function scenarios(out: string[], list: readonly ScenarioView[]): void {
  out.push(`## Scenarios (${list.length})`, "");
  if (list.length === 0) {
    out.push("None ran.", "");
    return;
  }
  const rows = list.map((s) => {
    const failed = s.failedSteps.length;
    const note = s.status === "failed" ? `${failed} of ${s.result.steps.length} steps failed` : s.detail === "" ? plural(s.result.steps.length, "step") : s.detail;
    return [STATUS_MARK[s.status], mdText(s.name), mdCode(s.folder, { inTable: true }), mdText(note), formatSeconds(s.result.seconds)];
  });
  out.push(...table(["result", "scenario", "folder", "steps", "time"], rows), "");
  const problems = list.filter((s) => s.status === "failed" || s.status === "error");
  for (const s of problems) {
    out.push(`### ${mdText(s.name)}`, "", `${STATUS_MARK[s.status]} · ${mdCode(s.file)}`, "");
    if (s.status === "error") out.push(mdFence(s.detail), "");
    for (const step of s.failedSteps) {
      out.push(`- ${mdText(stepLabel(step))}, disagreed: **${mdText(stepSides(step))}**`);
      for (const f of step.failures) out.push(`  - ${mdCode(stepFailureText(f))}`);
    }
    out.push("");
  }
}
