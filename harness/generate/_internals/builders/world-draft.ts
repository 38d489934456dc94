/**
 * Accumulates the RBAC objects of one case under local names (@internal). Every grant is a role
 * plus a binding; a "missing" grant emits only the binding (SPEC §10.2: RBAC then adds a reason).
 */
import type { Manifest, PolicyRule, Subject } from "../../../core/index.ts";
import { RBAC_API_GROUP, RBAC_API_VERSION } from "../vocabulary.ts";

export type GrantScope =
  | { readonly kind: "cluster" }
  | { readonly kind: "namespace"; readonly namespace: string; readonly roleKind: "Role" | "ClusterRole" };

export const CLUSTER: GrantScope = { kind: "cluster" };

export interface GrantOptions {
  /** Reference a role that is never created. */
  readonly missingRole?: boolean;
  /** Reference this existing (bootstrap) ClusterRole instead of creating one. */
  readonly bootstrapRole?: string;
}

export function userSubject(name: string): Subject {
  return { kind: "User", apiGroup: RBAC_API_GROUP, name };
}
export function groupSubject(name: string): Subject {
  return { kind: "Group", apiGroup: RBAC_API_GROUP, name };
}
export function serviceAccountSubject(namespace: string, name: string): Subject {
  return { kind: "ServiceAccount", name, namespace };
}

export class WorldDraft {
  readonly objects: Manifest[] = [];
  private readonly used = new Set<string>();

  /** `tag` names this draft's objects (`p3-on`, `p3-id`, …); it must be unique in the case. */
  constructor(private readonly tag: string) {}

  private fresh(what: string): string {
    let name = `${this.tag}-${what}`;
    for (let i = 2; this.used.has(name); i++) name = `${this.tag}-${what}-${i}`;
    this.used.add(name);
    return name;
  }

  /** Grants `rules` to `subjects` in `scope`; nothing when there are no rules or no subjects. */
  grant(what: string, scope: GrantScope, rules: readonly PolicyRule[], subjects: readonly Subject[], options: GrantOptions = {}): void {
    if ((rules.length === 0 && !options.bootstrapRole) || subjects.length === 0) return;
    const name = this.fresh(what);
    const roleKind = options.bootstrapRole ? "ClusterRole" : scope.kind === "cluster" ? "ClusterRole" : scope.roleKind;
    const roleName = options.bootstrapRole ?? (options.missingRole ? `${name}-missing` : name);
    if (!options.bootstrapRole && !options.missingRole) {
      this.objects.push(
        roleKind === "ClusterRole"
          ? { apiVersion: RBAC_API_VERSION, kind: "ClusterRole", metadata: { name }, rules }
          : { apiVersion: RBAC_API_VERSION, kind: "Role", metadata: { name, namespace: (scope as { namespace: string }).namespace }, rules },
      );
    }
    const roleRef = { apiGroup: RBAC_API_GROUP, kind: roleKind, name: roleName };
    this.objects.push(
      scope.kind === "cluster"
        ? { apiVersion: RBAC_API_VERSION, kind: "ClusterRoleBinding", metadata: { name }, subjects, roleRef }
        : { apiVersion: RBAC_API_VERSION, kind: "RoleBinding", metadata: { name, namespace: scope.namespace }, subjects, roleRef },
    );
  }
}
