/**
 * Regenerates filter-vectors.json: random request sequences (the property-test vocabulary, fixed seed)
 * run through the REAL impersonation filters of k8s.io/apiserver — WithConstrainedImpersonation (gate
 * ON) and WithImpersonation (gate OFF) — with a recording fake authorizer (filter-vectors/main.go, built
 * once per version like go-vectors/main.go, see gen-go-vectors.ts; the same source builds against
 * v0.35.4 and v0.37.2). filter-vectors.test.ts replays them through the oracle. No final
 * authorization: the echo handler stands where WithAuthorization would be, as in upstream's tests.
 *
 *   FILTERVEC="v0.37.2=/tmp/filtervec137,v0.35.4=/tmp/filtervec135" npx tsx harness/oracle/testdata/gen-filter-vectors.ts
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { REQUESTS, grantsArb, stepArb, type Step } from "../../../properties/oracle-arbitraries.ts";
import { headerKeyEscape, impersonationHeaders } from "../upstream-helpers.ts";

/** A second spelling of one extra key that decodes to the same key (its last letter %-escaped). */
function respell(step: Step, respellKey: boolean): [string, string][] {
  const headers = impersonationHeaders(step.wanted);
  const key = Object.keys(step.wanted.extra ?? {})[0];
  if (!respellKey || key === undefined || !/[a-z]$/.test(key)) return headers;
  const alt = `${headerKeyEscape(key.slice(0, -1))}%${key.charCodeAt(key.length - 1).toString(16)}`;
  return [...headers, [`Impersonate-Extra-${alt}`, "dup"]];
}

const caseArb = fc.record({
  grants: grantsArb,
  reason: fc.constantFrom("", "deny by default"),
  steps: fc.array(fc.tuple(stepArb, fc.boolean()), { minLength: 1, maxLength: 4 }),
});

const cases = fc.sample(caseArb, { seed: 5284, numRuns: 160 }).flatMap((c) =>
  [true, false].map((gate) => ({
    gate,
    grants: c.grants,
    reason: c.reason,
    steps: c.steps.map(([s, respellKey]) => ({ requestor: s.requestor, headers: respell(s, respellKey), request: REQUESTS[s.request] })),
  })),
);
const bins = (process.env.FILTERVEC ?? "v0.37.2=/tmp/filtervec").split(",").map((kv) => kv.split("=") as [string, string]);
const outputs = Object.fromEntries(bins.map(([version, bin]) => [version, JSON.parse(execFileSync(bin, { input: JSON.stringify(cases), maxBuffer: 1 << 28 }).toString())]));
writeFileSync(fileURLToPath(new URL("./filter-vectors.json", import.meta.url)), `${JSON.stringify({ generatedBy: "go1.26.8", cases, outputs })}\n`);
