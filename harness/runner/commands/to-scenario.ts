import { stringify } from "yaml";
import type { RequestResult } from "../../core/index.ts";
import { expectationFor } from "../../record/index.ts";
import { parseScenarios } from "../../scenario/index.ts";
import { LOCAL_NAMES, pieceManifests, type Piece } from "./catalogue.ts";
import type { ScenarioStep } from "./format-step.ts";
import type { TranscriptEntry } from "./stateful-model.ts";

export interface SequenceRecord {
  readonly initial: readonly Piece[];
  readonly transcript: readonly TranscriptEntry[];
  /** What the server did at the last probe (live names) and the sequence's name suffix, to fill its `expect`. */
  readonly lastObserved?: { readonly result: RequestResult; readonly suffix: string };
}

export interface ToScenarioOptions {
  /** `metadata.name`: [a-z0-9-]. */
  readonly name: string;
  readonly description?: string;
  /** `spec.versions`. @defaultValue ">=1.35" */
  readonly versions?: string;
}

/** The observation as an `expect` block (the server is the fact), names made local. */
function expectationOf(o: RequestResult, suffix: string): Record<string, unknown> {
  const expect = expectationFor(o);
  return suffix === "" ? expect : (JSON.parse(JSON.stringify(expect).split(suffix).join("")) as Record<string, unknown>);
}

/**
 * A command sequence as an `impfuzz/v1` scenario: the initial grants as `spec.objects`, each step that
 * ran in order (a probe's step named after what was observed), and, when given, the last probe's
 * observation as its `expect`. Names are the local ones; the scenario runner isolates them again.
 * The text is parsed back through the scenario loader, so it is always a valid scenario.
 */
export function toScenario(record: SequenceRecord, options: ToScenarioOptions): string {
  const steps: ScenarioStep[] = record.transcript.map((e) => ("request" in e.step && e.note ? { name: e.note, ...e.step } : e.step));
  const last = steps.length - 1;
  if (record.lastObserved && last >= 0 && "request" in steps[last]!) {
    steps[last] = { ...steps[last]!, expect: expectationOf(record.lastObserved.result, record.lastObserved.suffix) };
  }
  const doc = {
    apiVersion: "impfuzz/v1",
    kind: "Scenario",
    metadata: {
      name: options.name,
      ...(options.description ? { description: options.description } : {}),
      labels: { origin: "stateful" },
    },
    spec: {
      versions: options.versions ?? ">=1.35",
      gate: true,
      objects: record.initial.flatMap((p) => pieceManifests(p, LOCAL_NAMES)),
      steps,
    },
  };
  const text = stringify(doc, { lineWidth: 0 });
  parseScenarios(text, `${options.name}.yaml`);
  return text;
}
