/**
 * Merges identical roles and then bindings of one role into one binding listing all their
 * subjects (@internal): the shape of a world where several requestors share permissions.
 */
import type { Manifest } from "../../../core/index.ts";

interface RoleRef {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

const ROLE_KINDS = new Set(["Role", "ClusterRole"]);
const BINDING_KINDS = new Set(["RoleBinding", "ClusterRoleBinding"]);

export function shareIdenticalRoles(objects: readonly Manifest[]): Manifest[] {
  const canonicalRole = new Map<string, string>(); // kind/ns/rules → first name
  const renamed = new Map<string, string>(); // kind/ns/name → kept name
  const kept: Manifest[] = [];
  for (const o of objects) {
    if (!ROLE_KINDS.has(o.kind)) continue;
    const ns = o.metadata.namespace ?? "";
    const key = `${o.kind}/${ns}/${JSON.stringify(o["rules"] ?? [])}`;
    const first = canonicalRole.get(key);
    if (first === undefined) canonicalRole.set(key, o.metadata.name);
    else renamed.set(`${o.kind}/${ns}/${o.metadata.name}`, first);
  }
  const bindings = new Map<string, Manifest>(); // kind/ns/roleRef → merged binding
  for (const o of objects) {
    if (ROLE_KINDS.has(o.kind)) {
      if (!renamed.has(`${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`)) kept.push(o);
      continue;
    }
    if (!BINDING_KINDS.has(o.kind)) {
      kept.push(o);
      continue;
    }
    const ns = o.metadata.namespace ?? "";
    const ref = o["roleRef"] as RoleRef;
    const refNs = ref.kind === "Role" ? ns : "";
    const name = renamed.get(`${ref.kind}/${refNs}/${ref.name}`) ?? ref.name;
    const roleRef = { ...ref, name };
    const key = `${o.kind}/${ns}/${ref.kind}/${name}`;
    const prior = bindings.get(key);
    const subjects = (o["subjects"] ?? []) as readonly unknown[];
    if (prior === undefined) {
      const merged: Manifest = { ...o, roleRef, subjects: [...subjects] };
      bindings.set(key, merged);
      kept.push(merged);
    } else {
      const list = prior["subjects"] as unknown[];
      for (const s of subjects) if (!list.some((t) => JSON.stringify(t) === JSON.stringify(s))) list.push(s);
    }
  }
  return kept;
}
