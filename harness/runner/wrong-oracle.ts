import type { Check, Clock, KubeVersion } from "../core/index.ts";
import { createOracle } from "../oracle/index.ts";
import type { PredictingOracle } from "./execute-batch.ts";

/**
 * A deliberately wrong oracle for proving the fuzz loop can fail: it believes the KEP prose (and the
 * blog draft, SPEC §15/§16.1) that identity checks come BEFORE `impersonate-on`, so whenever a
 * constrained mode's first two checks are impersonate-on then impersonate:<mode>, it swaps them.
 */
export function identityFirstOracle(config: { gate: boolean; version: KubeVersion; clock: Clock }): PredictingOracle {
  const right = createOracle(config);
  return {
    predict(world, requestor, request) {
      const p = right.predict(world, requestor, request);
      const checks: Check[] = [...p.checks];
      for (let i = 0; i + 1 < checks.length; i++) {
        const a = checks[i]!.attributes.verb;
        const b = checks[i + 1]!.attributes.verb;
        if (a.startsWith("impersonate-on:") && b.startsWith("impersonate:")) {
          [checks[i], checks[i + 1]] = [checks[i + 1]!, checks[i]!];
          i++;
        }
      }
      return { ...p, checks, ...("alternatives" in p ? { alternatives: undefined } : {}) };
    },
  };
}
