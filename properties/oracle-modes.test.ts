/**
 * Oracle invariants about the mode loop (SPEC §6, §7, §15): impersonate-on comes first in every
 * constrained mode, and a node or service-account name with any other header can only get through legacy.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { emptyState } from "../harness/oracle/state.ts";
import {
  RUNS, VALID_NODE_NAMES, VALID_SA_NAMES, grantAuthorizer, grantsArb, predictOne, requestorArb, segments, stepArb, wantedArb,
} from "./oracle-arbitraries.ts";

const CONSTRAINED = ["associated-node", "arbitrary-node", "serviceaccount", "user-info"];

test.prop([grantsArb, requestorArb, wantedArb, fc.nat({ max: 3 })], { numRuns: RUNS })(
  "cold: the first check of an impersonation is impersonate-on of the first applicable constrained mode (legacy if none applies)",
  (grants, requestor, wanted, request) => {
    const p = predictOne(grantAuthorizer(grants), requestor, wanted, request).prediction;
    if (p.outcome === "bad-request") return;
    // §6, computed here from the SPEC rather than from the oracle's filters
    const only = !wanted.uid && (wanted.groups ?? []).length === 0 && Object.keys(wanted.extra ?? {}).length === 0;
    const node = VALID_NODE_NAMES.has(wanted.user!);
    const sa = VALID_SA_NAMES.has(wanted.user!);
    const assoc = only && node && requestor.username.startsWith("system:serviceaccount:") &&
      requestor.extra["authentication.kubernetes.io/node-name"]?.[0] === wanted.user!.slice("system:node:".length);
    const first = assoc ? "associated-node" : only && node ? "arbitrary-node" : only && sa ? "serviceaccount" : !node && !sa ? "user-info" : "legacy";
    const verb = p.checks[0]!.attributes.verb;
    if (first === "legacy") expect(verb).toBe("impersonate");
    else expect(verb.startsWith(`impersonate-on:${first}:`)).toBe(true);
  },
);

test.prop([grantsArb, fc.array(stepArb, { minLength: 1, maxLength: 6 })], { numRuns: RUNS })(
  "warm or cold, no check precedes impersonate-on within a constrained mode, and identity checks follow only an allowed one",
  (grants, steps) => {
    const authorizer = grantAuthorizer(grants);
    let state = emptyState();
    let now = 0;
    for (const s of steps) {
      now += s.wait;
      const out = predictOne(authorizer, s.requestor, s.wanted, s.request, { state, now });
      state = out.state;
      for (const seg of segments(out.prediction)) {
        if (!CONSTRAINED.includes(seg.mode)) continue;
        expect(seg.checks[0]!.attributes.verb.startsWith(`impersonate-on:${seg.mode}:`)).toBe(true);
        expect(seg.checks.slice(1).some((c) => c.attributes.verb.startsWith("impersonate-on:"))).toBe(false);
        if (seg.checks.length > 1) expect(seg.checks[0]!.decision).toBe("allow");
      }
    }
  },
);

const OTHER_HEADER = [{ uid: "uid-1" }, { groups: ["g1"] }, { extra: { "example.com/a": ["v1"] } }] as const;
const nodeOrSaArb = fc.constantFrom(...VALID_NODE_NAMES, ...VALID_SA_NAMES);

test.prop([grantsArb, requestorArb, nodeOrSaArb, fc.constantFrom(...OTHER_HEADER), fc.nat({ max: 3 }), fc.boolean()], { numRuns: RUNS })(
  "a node or service-account name with any uid/group/extra header can only succeed through legacy",
  (grants, requestor, name, more, request, warmFirst) => {
    const withMore = { user: name, ...more };
    const authorizer = grantAuthorizer(grants);
    // also after the same requestor succeeded for the bare name (mode index and caches warm)
    const state = warmFirst ? predictOne(authorizer, requestor, { user: name }, request).state : emptyState();
    const p = predictOne(authorizer, requestor, withMore, request, { state }).prediction;
    if (p.outcome === "impersonation-denied") return;
    expect(p.mode).toBe("legacy");
    expect(p.constraint).toBe("");
  },
);
