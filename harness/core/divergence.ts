import type { CheckAttributes } from "./check.ts";
import type { Prediction, RequestResult } from "./outcome.ts";
import type { CaseProbe, FuzzCase } from "./fuzz-case.ts";

export type ComparedField = "code" | "outcome" | "message" | "checks" | "user" | "constraint";
export const COMPARED_FIELDS: readonly ComparedField[] = ["code", "outcome", "message", "checks", "user", "constraint"];

export interface FieldDiff {
  readonly field: ComparedField;
  readonly predicted: unknown;
  readonly observed: unknown;
}

/** Where two ordered check lists first part: one side may have no check at that index. */
export interface FirstCheckDiff {
  readonly index: number;
  readonly predicted: CheckAttributes | null;
  readonly observed: CheckAttributes | null;
  /** Attribute names that differ at that index (`missing`/`extra` when one side ends). */
  readonly fields: readonly string[];
}

export interface Comparison {
  readonly diffs: readonly FieldDiff[];
  readonly firstCheckDiff: FirstCheckDiff | undefined;
  /** Fields not compared because the oracle marked them indeterminate or the provider cannot show them. */
  readonly skipped: readonly { readonly field: ComparedField; readonly reason: string }[];
  /** One line: what differs, in words a reviewer can triage by (e.g. `checks: extra impersonate on users after impersonate-on`). */
  readonly classification: string;
}

/** The observation as kept in a journal: comparable fields only, plus the audit id to find the raw event. */
export interface ObservedResult extends RequestResult {
  readonly auditId: string;
}

export interface JournalRecord {
  readonly kind: "divergence" | "flake";
  readonly runId: string;
  readonly recordedAt: string;
  readonly kubeVersion: string;
  readonly gate: boolean;
  /** fast-check seed and path that regenerate the original case. */
  readonly seed: number;
  readonly path: string | undefined;
  readonly case: FuzzCase;
  /** Index in case.probes of the probe that diverged. */
  readonly probeIndex: number;
  readonly probe: CaseProbe;
  readonly predicted: Prediction;
  readonly observed: ObservedResult;
  readonly comparison: Comparison;
  /** For a flake: what the replay on a fresh requestor saw (it matched the prediction or differed otherwise). */
  readonly replay?: ObservedResult;
  /** Size before shrinking (objects + probes), to show what shrinking achieved. */
  readonly originalSize?: { readonly objects: number; readonly probes: number };
}
