import type { Arbitrary } from "fast-check";
import type { ClusterProvider } from "../cluster/provider.ts";
import type { Clock, FuzzCase, KubeVersion } from "../core/index.ts";
import type { PredictingOracle } from "./execute-batch.ts";

/**
 * What the fuzz loop is made of, injectable so a test can run it with a deliberately wrong oracle and
 * prove the loop reports, shrinks and replays what it finds.
 */
export interface FuzzDeps<Template> {
  readonly provider: ClusterProvider;
  readonly caseArb: Arbitrary<Template>;
  readonly instantiate: (template: Template, prefix: string) => FuzzCase;
  readonly createOracle: (config: { gate: boolean; version: KubeVersion; clock: Clock }) => PredictingOracle;
}
