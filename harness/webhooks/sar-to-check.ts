import type { CheckAttributes, SelectorRequirement } from "../core/index.ts";

/** authorization.k8s.io/v1 SubjectAccessReview spec, the fields the apiserver's webhook authorizer sends. */
export interface SarSpec {
  user?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    version?: string;
    resource?: string;
    subresource?: string;
    name?: string;
    fieldSelector?: { rawSelector?: string; requirements?: SelectorRequirement[] };
    labelSelector?: { rawSelector?: string; requirements?: SelectorRequirement[] };
  };
  nonResourceAttributes?: { path?: string; verb?: string };
}

/** The SAR as CheckAttributes: absent JSON fields (omitempty) become "", the oracle's "unset". */
export function sarToCheck(spec: SarSpec): CheckAttributes {
  const user = { username: spec.user ?? "", uid: spec.uid ?? "", groups: spec.groups ?? [], extra: spec.extra ?? {} };
  const ra = spec.resourceAttributes;
  if (ra) {
    const check: CheckAttributes = {
      user,
      verb: ra.verb ?? "",
      resourceRequest: true,
      namespace: ra.namespace ?? "",
      group: ra.group ?? "",
      version: ra.version ?? "",
      resource: ra.resource ?? "",
      subresource: ra.subresource ?? "",
      name: ra.name ?? "",
      path: "",
      ...(ra.fieldSelector?.requirements ? { fieldSelector: normalise(ra.fieldSelector.requirements) } : {}),
      ...(ra.labelSelector?.requirements ? { labelSelector: normalise(ra.labelSelector.requirements) } : {}),
    };
    return check;
  }
  const nra = spec.nonResourceAttributes ?? {};
  return {
    user,
    verb: nra.verb ?? "",
    resourceRequest: false,
    namespace: "",
    group: "",
    version: "",
    resource: "",
    subresource: "",
    name: "",
    path: nra.path ?? "",
  };
}

function normalise(reqs: SelectorRequirement[]): SelectorRequirement[] {
  return reqs.map((r) => ({ key: r.key, operator: r.operator, values: r.values ?? [] }));
}
