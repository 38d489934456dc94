import type { Scenario } from "../schema.ts";
import type { Problem } from "./issues.ts";

const CLUSTER_SCOPED = new Set(["ClusterRole", "ClusterRoleBinding", "Namespace", "Node", "PersistentVolume", "StorageClass"]);

function key(apiVersion: string, kind: string, name: string, namespace: string | undefined): string {
  return `${apiVersion}/${kind}/${CLUSTER_SCOPED.has(kind) ? "" : (namespace ?? "")}/${name}`;
}

/**
 * @internal A `delete` step may only remove what the scenario itself created (spec.objects or an
 * earlier apply step). Anything else is shared by every scenario on the server, and isolation does
 * not rename it: deleting `cluster-admin` or a namespace would break the whole run.
 */
function lintDeletes(s: Scenario): Problem[] {
  const created = new Set(s.spec.objects.map((m) => key(m.apiVersion, m.kind, m.metadata.name, m.metadata.namespace)));
  const problems: Problem[] = [];
  s.spec.steps.forEach((step, i) => {
    if ("apply" in step) for (const m of step.apply) created.add(key(m.apiVersion, m.kind, m.metadata.name, m.metadata.namespace));
    if (!("delete" in step)) return;
    step.delete.forEach((ref, j) => {
      if (created.has(key(ref.apiVersion, ref.kind, ref.name, ref.namespace))) return;
      problems.push({
        path: ["spec", "steps", i, "delete", j],
        detail: `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name} is not created by this scenario (spec.objects or an earlier apply step): only delete what the scenario creates, other objects are shared by every scenario`,
      });
    });
  });
  return problems;
}

/**
 * @internal Expectations that contradict themselves, found before anything runs (as upstream's
 * table test checks its own data): an outcome that implies a status code, a resulting identity or
 * constraint after a denial, an impersonation failure on a request that impersonates nobody.
 */
export function lintScenario(s: Scenario): Problem[] {
  const problems: Problem[] = [...lintDeletes(s)];
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
