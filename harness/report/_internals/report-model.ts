import { posix } from "node:path";
import { stringify } from "yaml";
import type { ComparedField, HttpRequest, JournalRecord, ObservedResult, RunSummary, ScenarioResult, ScenarioStepResult } from "../../core/index.ts";
import { checkRows, firstCheckView, type CheckRow, type FirstCheckView } from "./checks-view.ts";
import { formatSeconds, formatValue, plural, visible } from "./text.ts";

/**
 * What the Markdown and HTML reports show, computed once so both carry the same content and differ
 * only in markup. Strings here are plain text (control characters already made visible); each
 * renderer escapes them for its own format.
 * @internal
 */

export interface Fact {
  readonly label: string;
  readonly value: string;
}

export interface FieldRow {
  readonly field: ComparedField;
  readonly predicted: string;
  readonly observed: string;
  /** Flakes only: the same field as the replay on a fresh requestor saw it. */
  readonly replay?: string;
}

export interface RecordView {
  readonly record: JournalRecord;
  /** Stable anchor for links (`case-c1-probe-0`). */
  readonly anchor: string;
  readonly title: string;
  readonly classification: string;
  readonly facts: readonly Fact[];
  readonly fieldRows: readonly FieldRow[];
  readonly firstCheck: FirstCheckView | undefined;
  readonly checkRows: readonly CheckRow[];
  readonly skipped: readonly { readonly field: string; readonly reason: string }[];
  readonly requestorYaml: string;
  readonly requestText: string;
  readonly objectsYaml: string;
}

export interface DivergenceGroup {
  readonly classification: string;
  readonly records: readonly RecordView[];
}

export type ScenarioStatus = "passed" | "failed" | "skipped" | "error";

export interface ScenarioView {
  readonly result: ScenarioResult;
  readonly name: string;
  readonly folder: string;
  readonly file: string;
  readonly status: ScenarioStatus;
  /** Skip reason or harness error, one line per cause. */
  readonly detail: string;
  readonly failedSteps: readonly ScenarioStepResult[];
}

export interface ReportModel {
  readonly title: string;
  readonly verdict: { readonly ok: boolean; readonly text: string };
  readonly aborted: string | undefined;
  readonly facts: readonly Fact[];
  readonly indeterminates: readonly (readonly [reason: string, count: number])[];
  readonly divergenceGroups: readonly DivergenceGroup[];
  readonly divergenceCount: number;
  readonly flakes: readonly RecordView[];
  readonly coverage: { readonly cells: readonly (readonly [cell: string, count: number])[]; readonly unreached: readonly string[] };
  readonly scenarios: readonly ScenarioView[] | undefined;
}

export const UNCLASSIFIED = "(unclassified)";

export function classificationOf(record: JournalRecord): string {
  const c = record.comparison.classification.trim();
  return c === "" ? UNCLASSIFIED : visible(c, { oneLine: true });
}

/** `scenarios/upstream` for `scenarios/upstream/a.yaml` (posix separators, no leading `./`). */
export function folderOf(file: string): string {
  const dir = posix.dirname(file.replaceAll("\\", "/"));
  return dir === "." ? "." : dir.replace(/^\.\//, "");
}

export function scenarioStatus(s: ScenarioResult): ScenarioStatus {
  if (s.error !== undefined) return "error";
  if (s.skipped !== undefined) return "skipped";
  return s.passed ? "passed" : "failed";
}

function yamlOf(value: unknown): string {
  return visible(stringify(value, { lineWidth: 0 }).trimEnd());
}

/** The probe as an HTTP request: request line, headers in wire order, then the body. */
export function requestText(request: HttpRequest): string {
  const lines = [`${visible(request.method, { oneLine: true })} ${visible(request.path, { oneLine: true })}`];
  for (const [name, value] of request.headers) lines.push(`${visible(name, { oneLine: true })}: ${visible(value, { oneLine: true })}`);
  if (request.body !== undefined) lines.push("", visible(JSON.stringify(request.body, null, 2) ?? String(request.body)));
  return lines.join("\n");
}

function fieldValue(result: ObservedResult | JournalRecord["predicted"], field: ComparedField): string {
  if (field === "checks") return plural(result.checks.length, "check");
  return visible(formatValue(result[field]), { oneLine: true });
}

function diffValue(field: ComparedField, value: unknown): string {
  if (field === "checks" && Array.isArray(value)) return plural(value.length, "check");
  return visible(formatValue(value), { oneLine: true });
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80) || "x";
}

export function recordView(record: JournalRecord, anchorsTaken: Set<string>): RecordView {
  const caseId = visible(record.case.id, { oneLine: true });
  let anchor = `${record.kind}-${slug(record.case.id)}-probe-${record.probeIndex}`;
  for (let n = 2; anchorsTaken.has(anchor); n++) anchor = `${record.kind}-${slug(record.case.id)}-probe-${record.probeIndex}-${n}`;
  anchorsTaken.add(anchor);

  const { replay } = record;
  const facts: Fact[] = [
    { label: "Seed", value: String(record.seed) },
    { label: "Path", value: record.path === undefined ? "—" : visible(record.path, { oneLine: true }) },
    { label: "Recorded", value: visible(record.recordedAt, { oneLine: true }) },
    { label: "Kubernetes", value: `${visible(record.kubeVersion, { oneLine: true })}, gate ${record.gate ? "on" : "off"}` },
    { label: "Predicted mode", value: record.predicted.mode ?? "none" },
    { label: "Audit id", value: visible(record.observed.auditId, { oneLine: true }) },
  ];
  if (replay !== undefined) facts.push({ label: "Replay audit id", value: visible(replay.auditId, { oneLine: true }) });
  if (record.originalSize !== undefined) {
    facts.push({
      label: "Shrunk",
      value: `${plural(record.originalSize.objects, "object")}, ${plural(record.originalSize.probes, "probe")} → ${plural(record.case.objects.length, "object")}, ${plural(record.case.probes.length, "probe")}`,
    });
  }
  for (const i of record.predicted.indeterminate) facts.push({ label: `Indeterminate ${i.field}`, value: visible(i.reason, { oneLine: true }) });

  const fieldRows: FieldRow[] = record.comparison.diffs.map((d) => ({
    field: d.field,
    predicted: diffValue(d.field, d.predicted),
    observed: diffValue(d.field, d.observed),
    ...(replay === undefined ? {} : { replay: fieldValue(replay, d.field) }),
  }));

  return {
    record,
    anchor,
    title: `case ${caseId}, probe ${record.probeIndex}`,
    classification: classificationOf(record),
    facts,
    fieldRows,
    firstCheck: firstCheckView(record.comparison.firstCheckDiff),
    checkRows: checkRows(record.predicted.checks, record.observed.checks, record.comparison.firstCheckDiff),
    skipped: record.comparison.skipped.map((s) => ({ field: s.field, reason: visible(s.reason, { oneLine: true }) })),
    requestorYaml: yamlOf(record.probe.requestor),
    requestText: requestText(record.probe.request),
    objectsYaml: record.case.objects.length === 0 ? "# no objects" : record.case.objects.map(yamlOf).join("\n---\n"),
  };
}

function scenarioView(s: ScenarioResult): ScenarioView {
  const status = scenarioStatus(s);
  const detail = status === "error" ? (s.error ?? "") : status === "skipped" ? (s.skipped ?? "") : "";
  return {
    result: s,
    name: visible(s.name, { oneLine: true }),
    folder: visible(folderOf(s.file), { oneLine: true }),
    file: visible(s.file, { oneLine: true }),
    status,
    detail: visible(detail),
    failedSteps: s.steps.filter((step) => !step.passed),
  };
}

function verdictOf(summary: RunSummary, divergences: number, scenarios: readonly ScenarioView[] | undefined): ReportModel["verdict"] {
  if (summary.aborted !== undefined) return { ok: false, text: "aborted" };
  const failed = scenarios?.filter((s) => s.status === "failed").length ?? 0;
  const errors = scenarios?.filter((s) => s.status === "error").length ?? 0;
  const problems: string[] = [];
  if (divergences > 0) problems.push(plural(divergences, "divergence"));
  if (failed > 0) problems.push(`${plural(failed, "scenario")} failed`);
  if (errors > 0) problems.push(`${plural(errors, "harness error")}`);
  return problems.length === 0 ? { ok: true, text: "clean" } : { ok: false, text: problems.join(", ") };
}

export function buildReportModel(summary: RunSummary, records: readonly JournalRecord[]): ReportModel {
  const anchors = new Set<string>();
  const groups = new Map<string, RecordView[]>();
  const flakes: RecordView[] = [];
  for (const record of records) {
    const view = recordView(record, anchors);
    if (record.kind === "flake") {
      flakes.push(view);
      continue;
    }
    const list = groups.get(view.classification) ?? [];
    list.push(view);
    groups.set(view.classification, list);
  }
  const divergenceGroups = [...groups]
    .map(([classification, views]) => ({ classification, records: views }))
    .sort((a, b) => b.records.length - a.records.length || (a.classification < b.classification ? -1 : a.classification > b.classification ? 1 : 0));
  const divergenceCount = Math.max(summary.divergences, records.length - flakes.length);
  const scenarios = summary.scenarios?.map(scenarioView);
  const indeterminateTotal = Object.values(summary.indeterminates).reduce((a, b) => a + b, 0);

  const facts: Fact[] = [
    { label: "Run", value: visible(summary.runId, { oneLine: true }) },
    { label: "Command", value: `impfuzz ${summary.command}` },
    { label: "Started", value: `${visible(summary.startedAt, { oneLine: true })} (finished ${visible(summary.finishedAt, { oneLine: true })})` },
    { label: "Wall time", value: formatSeconds(summary.wallSeconds) },
    { label: "Provider", value: visible(summary.provider, { oneLine: true }) },
    { label: "Kubernetes", value: `${visible(summary.kubeVersion, { oneLine: true })} (server ${visible(summary.serverVersion, { oneLine: true })})` },
    { label: "ConstrainedImpersonation gate", value: summary.gate ? "on" : "off" },
    { label: "Versions", value: `impfuzz ${visible(summary.versions.impfuzz, { oneLine: true })}, Node ${visible(summary.versions.node, { oneLine: true })}` },
    { label: "Seed", value: summary.seed === undefined ? "—" : String(summary.seed) },
    { label: "Cases", value: String(summary.cases) },
    { label: "Probes", value: String(summary.probes) },
    { label: "Probes/s", value: Number.isFinite(summary.probesPerSecond) ? summary.probesPerSecond.toFixed(1) : "?" },
    { label: "Divergences", value: String(divergenceCount) },
    { label: "Flakes", value: String(Math.max(summary.flakes, flakes.length)) },
    { label: "Indeterminate fields", value: String(indeterminateTotal) },
  ];
  if (scenarios !== undefined) {
    const count = (st: ScenarioStatus) => scenarios.filter((s) => s.status === st).length;
    facts.push({
      label: "Scenarios",
      value: `${scenarios.length}: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped, ${count("error")} errors`,
    });
  }

  const byName = (a: readonly [string, number], b: readonly [string, number]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return {
    title: `impfuzz ${summary.command} ${visible(summary.runId, { oneLine: true })}`,
    verdict: verdictOf(summary, divergenceCount, scenarios),
    aborted: summary.aborted === undefined ? undefined : visible(summary.aborted),
    facts,
    indeterminates: Object.entries(summary.indeterminates)
      .map(([k, v]) => [visible(k, { oneLine: true }), v] as const)
      .sort((a, b) => b[1] - a[1] || byName(a, b)),
    divergenceGroups,
    divergenceCount,
    flakes,
    coverage: {
      cells: Object.entries(summary.coverage.cells)
        .map(([k, v]) => [visible(k, { oneLine: true }), v] as const)
        .sort(byName),
      unreached: summary.coverage.unreached.map((c) => visible(c, { oneLine: true })),
    },
    scenarios,
  };
}
