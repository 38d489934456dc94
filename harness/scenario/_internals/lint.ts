import type { Scenario } from "../schema.ts";
import type { Problem } from "./issues.ts";

/**
 * @internal Expectations that contradict themselves, found before anything runs (as upstream's
 * table test checks its own data): an outcome that implies a status code, a resulting identity or
 * constraint after a denial, an impersonation failure on a request that impersonates nobody.
 */
export function lintScenario(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  s.spec.steps.forEach((step, i) => {
    if (!("request" in step) || step.expect === undefined) return;
    const at = (...rest: PropertyKey[]) => ["spec", "steps", i, "expect", ...rest];
    const { code, outcome, constraint, user } = step.expect;
    const impersonates =
      step.request.impersonate !== undefined ||
      Object.keys(step.request.headers ?? {}).some((h) => h.toLowerCase().startsWith("impersonate-"));
    const wantCode = outcome === "bad-request" ? 400 : outcome === "impersonation-denied" || outcome === "request-denied" ? 403 : undefined;
    if (wantCode !== undefined && code !== undefined && code !== wantCode) {
      problems.push({ path: at("code"), detail: `outcome ${outcome} answers ${wantCode}, not ${code}: fix one of them` });
    }
    const failed = outcome === "impersonation-denied" || outcome === "bad-request";
    if (failed && constraint !== undefined && constraint !== "") {
      problems.push({ path: at("constraint"), detail: `outcome ${outcome} has no impersonation constraint: use "" or remove it` });
    }
    if (failed && user !== undefined) {
      problems.push({ path: at("user"), detail: `outcome ${outcome} has no resulting identity: remove user` });
    }
    if (!impersonates && failed) {
      problems.push({ path: at("outcome"), detail: `the request impersonates nobody, so it cannot be ${outcome}: add request.impersonate or fix the outcome` });
    }
    if (!impersonates && constraint !== undefined && constraint !== "") {
      problems.push({ path: at("constraint"), detail: `the request impersonates nobody, so its constraint is "": add request.impersonate or use ""` });
    }
  });
  return problems;
}
