/**
 * Username classification as the filter does it (SPEC §6), so builders know which mode a wanted
 * user can reach and tests can check that renaming keeps every classification (@internal).
 */

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** DNS-1123 label (namespaces). */
export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && LABEL.test(s);
}

/** DNS-1123 subdomain (object names, node names, service-account names). */
export function isDnsSubdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && s.split(".").every((p) => LABEL.test(p));
}

export const NODE_PREFIX = "system:node:";
export const SA_PREFIX = "system:serviceaccount:";
export const SA_GROUP_PREFIX = "system:serviceaccounts:";

/** The node name of a valid node username, else undefined. */
export function nodeNameOf(username: string): string | undefined {
  if (!username.startsWith(NODE_PREFIX)) return undefined;
  const n = username.slice(NODE_PREFIX.length);
  return isDnsSubdomain(n) ? n : undefined;
}

/** Namespace and name of a valid service-account username (SplitUsername), else undefined. */
export function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(":");
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  return isDnsLabel(namespace) && isDnsSubdomain(name) ? { namespace, name } : undefined;
}

export type UsernameClass = "node" | "service-account" | "other";

export function classifyUsername(username: string): UsernameClass {
  if (nodeNameOf(username) !== undefined) return "node";
  if (serviceAccountOf(username) !== undefined) return "service-account";
  return "other";
}
