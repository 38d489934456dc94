import type { JournalRecord, RunSummary, ScenarioResult } from "../core/index.ts";
import { xmlAttr, xmlText } from "./_internals/escape.ts";
import { recordText, stepFailureText, stepLabel, stepSides } from "./_internals/record-text.ts";
import { folderOf, recordView, scenarioStatus, type RecordView } from "./_internals/report-model.ts";
import { headline, plural, visible } from "./_internals/text.ts";

/**
 * `junit.xml`: the run as JUnit XML for CI test reporters (GitLab, Jenkins, GitHub actions).
 *
 * - A fuzz or replay run is one testsuite `impfuzz.fuzz` (`impfuzz.replay`): one passing testcase
 *   `probes compared` that summarises the run (an `<error>` if the run was aborted), one `<failure>`
 *   per divergence, and one testcase per flake marked `<skipped message="flake: …">` with the details
 *   in `<system-out>`. Flakes are skipped rather than failed or Surefire-`flaky` because a flake is
 *   not a confirmed divergence (it does not fail the run's exit code either), `skipped` is the one
 *   non-passing state all three reporters show, and `<flakyFailure>` is a Maven extension GitLab
 *   and most GitHub reporters drop silently.
 * - A scenario run is one testsuite `impfuzz.scenarios` with one testcase per scenario (`classname`
 *   the scenario's folder, `name` its name, `file` its file): `<failure>` lists the failed steps and
 *   which side disagreed (`expect`: the file vs the server; `oracle`: the oracle vs the server),
 *   `<skipped>` for a skipped scenario, `<error>` for a harness error.
 * - Journal records in a scenario run (oracle divergences) also get the fuzz suite.
 *
 * Every string is escaped for XML 1.0; characters XML cannot carry at all (NUL and other C0
 * controls, U+FFFE/U+FFFF, unpaired surrogates) are written as visible escapes such as `\0` or
 * `\u0001`. Times are seconds with millisecond precision.
 */
export function renderJunit(summary: RunSummary, records: readonly JournalRecord[]): string {
  const suites: Suite[] = [];
  const hasScenarioSuite = summary.command === "scenarios" || summary.scenarios !== undefined;
  const hasFuzzSuite = summary.command !== "scenarios" || records.length > 0;
  if (hasFuzzSuite) suites.push(fuzzSuite(summary, records));
  if (hasScenarioSuite) suites.push(scenarioSuite(summary, !hasFuzzSuite));

  const total = (k: keyof Counts) => suites.reduce((n, s) => n + s.counts[k], 0);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="impfuzz" tests="${total("tests")}" failures="${total("failures")}" errors="${total("errors")}" skipped="${total("skipped")}" time="${seconds(summary.wallSeconds)}">`,
  ];
  for (const suite of suites) out.push(suiteXml(suite, summary));
  out.push(`</testsuites>`, "");
  return out.join("\n");
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

type Verdict =
  | { readonly kind: "passed" }
  | { readonly kind: "failure" | "error" | "skipped"; readonly message: string; readonly type: string; readonly body?: string };

interface Case {
  readonly classname: string;
  readonly name: string;
  readonly file?: string;
  readonly seconds: number;
  readonly verdict: Verdict;
  readonly systemOut?: string;
}

interface Suite {
  readonly name: string;
  readonly seconds: number;
  readonly cases: readonly Case[];
  readonly counts: Counts;
}

function suite(name: string, secs: number, cases: Case[]): Suite {
  const counts: Counts = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
  for (const c of cases) {
    if (c.verdict.kind === "failure") counts.failures++;
    else if (c.verdict.kind === "error") counts.errors++;
    else if (c.verdict.kind === "skipped") counts.skipped++;
  }
  return { name, seconds: secs, cases, counts };
}

function abortedVerdict(summary: RunSummary): Verdict | undefined {
  if (summary.aborted === undefined) return undefined;
  return { kind: "error", type: "aborted", message: `run aborted: ${headline(summary.aborted, 500)}`, body: summary.aborted };
}

function fuzzSuite(summary: RunSummary, records: readonly JournalRecord[]): Suite {
  const classname = summary.command === "replay" ? "impfuzz.replay" : "impfuzz.fuzz";
  const indeterminate = Object.entries(summary.indeterminates).map(([k, v]) => `${k}: ${v}`);
  const overview = [
    `${plural(summary.probes, "probe")} in ${plural(summary.cases, "case")} compared in ${summary.wallSeconds.toFixed(1)} s (${summary.probesPerSecond.toFixed(1)} probes/s)`,
    `kube ${summary.kubeVersion} (server ${summary.serverVersion}), gate ${summary.gate ? "on" : "off"}, provider ${summary.provider}, seed ${summary.seed ?? "none"}`,
    `${plural(summary.divergences, "divergence")}, ${plural(summary.flakes, "flake")}`,
    `indeterminate fields: ${indeterminate.length === 0 ? "none" : indeterminate.join("; ")}`,
    `unreached coverage cells: ${summary.coverage.unreached.length === 0 ? "none" : summary.coverage.unreached.join(", ")}`,
  ].join("\n");
  const cases: Case[] = [
    { classname, name: "probes compared", seconds: summary.wallSeconds, verdict: abortedVerdict(summary) ?? { kind: "passed" }, systemOut: overview },
  ];
  const anchors = new Set<string>();
  for (const record of records) cases.push(recordCase(classname, recordView(record, anchors)));
  return suite(classname, summary.wallSeconds, cases);
}

function recordCase(classname: string, view: RecordView): Case {
  const name = headline(`${view.record.kind}: ${view.classification} (${view.title})`);
  const body = recordText(view);
  if (view.record.kind === "flake") {
    const replay = view.record.replay;
    const message = `flake: ${view.classification}${replay === undefined ? "" : `; the replay on a fresh requestor saw ${replay.code ?? "handler"} ${replay.outcome}`}`;
    return { classname, name, seconds: 0, verdict: { kind: "skipped", type: "flake", message: headline(message, 500) }, systemOut: body };
  }
  return { classname, name, seconds: 0, verdict: { kind: "failure", type: "divergence", message: headline(view.classification, 500), body } };
}

function scenarioSuite(summary: RunSummary, carriesAbort: boolean): Suite {
  const scenarios = summary.scenarios ?? [];
  const cases = scenarios.map(scenarioCase);
  const aborted = carriesAbort ? abortedVerdict(summary) : undefined;
  if (aborted !== undefined) cases.push({ classname: "impfuzz.scenarios", name: "run", seconds: summary.wallSeconds, verdict: aborted });
  const secs = scenarios.length > 0 ? scenarios.reduce((n, s) => n + s.seconds, 0) : summary.wallSeconds;
  return suite("impfuzz.scenarios", secs, cases);
}

function scenarioCase(s: ScenarioResult): Case {
  const base = { classname: folderOf(s.file), name: s.name, file: s.file, seconds: s.seconds };
  switch (scenarioStatus(s)) {
    case "error":
      return { ...base, verdict: { kind: "error", type: "harness", message: headline(s.error ?? "", 500), body: s.error ?? "" } };
    case "skipped":
      return { ...base, verdict: { kind: "skipped", type: "skipped", message: headline(s.skipped ?? "", 500) } };
    case "passed":
      return { ...base, verdict: { kind: "passed" } };
    case "failed": {
      const failed = s.steps.filter((step) => !step.passed);
      const message =
        failed.length === 0
          ? "scenario failed"
          : `${failed.length} of ${plural(s.steps.length, "step")} failed: ${failed.map((step) => `${stepLabel(step)} (${stepSides(step)})`).join(", ")}`;
      const body = failed
        .map((step) => {
          const seen = [
            step.code === undefined ? undefined : `code ${step.code}`,
            step.outcome === undefined ? undefined : `outcome ${step.outcome}`,
            step.message === undefined ? undefined : `message ${JSON.stringify(step.message)}`,
          ].filter((x) => x !== undefined);
          const head = `${stepLabel(step)} [${stepSides(step)}]${seen.length === 0 ? "" : `: server answered ${seen.join(", ")}`}`;
          return [head, ...step.failures.map((f) => `  ${stepFailureText(f)}`)].join("\n");
        })
        .join("\n");
      return { ...base, verdict: { kind: "failure", type: "scenario", message: headline(message, 500), body } };
    }
  }
}

function seconds(s: number): string {
  return Number.isFinite(s) && s > 0 ? s.toFixed(3) : "0.000";
}

function suiteXml(s: Suite, summary: RunSummary): string {
  const lines = [
    `  <testsuite name="${xmlAttr(s.name)}" tests="${s.counts.tests}" failures="${s.counts.failures}" errors="${s.counts.errors}" skipped="${s.counts.skipped}" time="${seconds(s.seconds)}" timestamp="${xmlAttr(summary.startedAt)}">`,
    `    <properties>`,
  ];
  const props: [string, string][] = [
    ["runId", summary.runId],
    ["command", summary.command],
    ["seed", summary.seed === undefined ? "" : String(summary.seed)],
    ["provider", summary.provider],
    ["kubeVersion", summary.kubeVersion],
    ["serverVersion", summary.serverVersion],
    ["gate", summary.gate ? "on" : "off"],
    ["impfuzz", summary.versions.impfuzz],
    ["node", summary.versions.node],
  ];
  for (const [name, value] of props) lines.push(`      <property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`);
  lines.push(`    </properties>`);
  for (const c of s.cases) lines.push(caseXml(c));
  lines.push(`  </testsuite>`);
  return lines.join("\n");
}

function caseXml(c: Case): string {
  const attrs = `classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}"${c.file === undefined ? "" : ` file="${xmlAttr(c.file)}"`} time="${seconds(c.seconds)}"`;
  const inner: string[] = [];
  const v = c.verdict;
  if (v.kind !== "passed") {
    const open = `<${v.kind} message="${xmlAttr(visible(v.message, { oneLine: true }))}" type="${xmlAttr(v.type)}"`;
    inner.push(v.body === undefined || v.body === "" ? `      ${open}/>` : `      ${open}>${xmlText(v.body)}</${v.kind}>`);
  }
  if (c.systemOut !== undefined && c.systemOut !== "") inner.push(`      <system-out>${xmlText(c.systemOut)}</system-out>`);
  return inner.length === 0 ? `    <testcase ${attrs}/>` : [`    <testcase ${attrs}>`, ...inner, `    </testcase>`].join("\n");
}
