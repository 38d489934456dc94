/** `reports/<run-id>/summary.json`: one run at a glance, the input of every report format. */
export interface RunSummary {
  readonly runId: string;
  readonly command: "run" | "scenarios" | "replay";
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly wallSeconds: number;
  readonly seed: number | undefined;
  readonly provider: string;
  readonly kubeVersion: string;
  readonly serverVersion: string;
  readonly gate: boolean;
  readonly versions: { readonly impfuzz: string; readonly node: string };
  readonly cases: number;
  readonly probes: number;
  readonly probesPerSecond: number;
  readonly divergences: number;
  readonly divergencesByClass: Readonly<Record<string, number>>;
  readonly flakes: number;
  /** Fields the oracle could not decide, counted by `field: reason`. */
  readonly indeterminates: Readonly<Record<string, number>>;
  /** Coverage cells `mode × outcome × fallback` → probes that hit them; `unreached` lists reachable cells never hit. */
  readonly coverage: { readonly cells: Readonly<Record<string, number>>; readonly unreached: readonly string[] };
  /** Scenario runs: per scenario step pass/fail. */
  readonly scenarios?: readonly ScenarioResult[];
  /** Why the run ended early, if it did (interrupted, infrastructure lost). */
  readonly aborted?: string;
}

export interface ScenarioStepResult {
  readonly step: number;
  readonly name: string;
  readonly passed: boolean;
  /** Which side disagreed: `expect` (the file vs the server), `oracle` (oracle vs server), or both. */
  readonly failures: readonly { readonly against: "expect" | "oracle"; readonly field: string; readonly expected: unknown; readonly observed: unknown }[];
  readonly code?: number;
  readonly outcome?: string;
  readonly message?: string | null;
  readonly seconds: number;
}

export interface ScenarioResult {
  readonly file: string;
  readonly name: string;
  readonly source?: string;
  readonly passed: boolean;
  readonly skipped?: string;
  readonly error?: string;
  readonly steps: readonly ScenarioStepResult[];
  readonly seconds: number;
}
