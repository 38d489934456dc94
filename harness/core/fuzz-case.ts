import type { HttpRequest } from "./request.ts";
import type { UserInfo } from "./user-info.ts";

/** A Kubernetes manifest the harness applies as admin (RBAC objects, namespaces, nodes, pods). */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [k: string]: unknown };
  readonly [field: string]: unknown;
}

/** One request of a case: who sends it (a requestor name unique to this probe in the run) and what. */
export interface CaseProbe {
  readonly requestor: UserInfo;
  readonly request: HttpRequest;
}

/**
 * One generated case: a small world and the probes sent into it. Every name in it (objects,
 * requestors) carries the case's unique prefix, so many cases coexist on one server and each probe
 * starts with a cold mode index and cold caches.
 */
export interface FuzzCase {
  readonly id: string;
  readonly objects: readonly Manifest[];
  readonly probes: readonly CaseProbe[];
}
