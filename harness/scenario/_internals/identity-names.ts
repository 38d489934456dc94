/**
 * @internal How the impersonation filter classifies a username (SPEC §6): a valid node username, a
 * valid service-account username, or anything else (user-info). Isolation must never move a name
 * from one class to another.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const NODE_PREFIX = "system:node:";
export const SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

export function isNodeUsername(name: string): boolean {
  return name.startsWith(NODE_PREFIX) && isDns1123Subdomain(name.slice(NODE_PREFIX.length));
}

/** `{namespace, name}` of a valid service-account username, else undefined (SplitUsername). */
export function splitServiceAccount(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(":");
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  return isDns1123Label(namespace) && isDns1123Subdomain(name) ? { namespace, name } : undefined;
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

export type UsernameClass = "node" | "serviceaccount" | "user";

export function classifyUsername(name: string): UsernameClass {
  if (isNodeUsername(name)) return "node";
  if (splitServiceAccount(name) !== undefined) return "serviceaccount";
  return "user";
}
