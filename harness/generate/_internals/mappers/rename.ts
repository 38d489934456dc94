/**
 * Renaming a template's local names with a case prefix (@internal). Pure string functions over the
 * reserved local vocabulary (vocabulary.ts), so every occurrence of a local name gets the same new
 * name wherever it appears, and no generated target name is ever touched by accident.
 */
import { SA_GROUP_PREFIX, SA_PREFIX } from "../helpers/usernames.ts";
import { BOOTSTRAP_CLUSTER_ROLES, POOL_NAMESPACES, REQUESTOR_GROUPS, REQUESTOR_NAME_PATTERN, TARGET_LOCAL_GROUPS } from "../vocabulary.ts";

export function isPoolNamespaceName(s: string): boolean {
  return (POOL_NAMESPACES as readonly string[]).includes(s);
}

/** A requestor name part (`r3`) or a case-local group. */
export function isLocalName(s: string): boolean {
  return REQUESTOR_NAME_PATTERN.test(s) || (REQUESTOR_GROUPS as readonly string[]).includes(s) || (TARGET_LOCAL_GROUPS as readonly string[]).includes(s);
}

export function isBootstrapRole(name: string): boolean {
  return (BOOTSTRAP_CLUSTER_ROLES as readonly string[]).includes(name);
}

export class Renamer {
  constructor(readonly prefix: string) {}

  namespace(ns: string): string {
    return isPoolNamespaceName(ns) ? this.prefix + ns : ns;
  }

  /**
   * A user, group or resource name. SA usernames and SA groups are renamed segment by segment
   * (`system:serviceaccount:ns-a:r3` → `system:serviceaccount:<p>ns-a:<p>r3`), so malformed SA
   * names keep their shape; other names are renamed only when they are local names.
   */
  name(s: string): string {
    for (const pre of [SA_PREFIX, SA_GROUP_PREFIX]) {
      if (s.startsWith(pre)) {
        return pre + s.slice(pre.length).split(":").map((seg) => (isPoolNamespaceName(seg) || isLocalName(seg) ? this.prefix + seg : seg)).join(":");
      }
    }
    return isLocalName(s) ? this.prefix + s : s;
  }

  /** An object the case creates. */
  object(name: string): string {
    return this.prefix + name;
  }

  /** A role reference: to a case role (renamed, even if missing) or a bootstrap ClusterRole (kept). */
  roleRef(kind: string, name: string): string {
    return kind === "ClusterRole" && isBootstrapRole(name) ? name : this.prefix + name;
  }

  /** The namespace segment of an API path (`…/namespaces/<ns>/…`); the query is left as is. */
  path(pathWithQuery: string): string {
    const q = pathWithQuery.indexOf("?");
    const [path, query] = q < 0 ? [pathWithQuery, ""] : [pathWithQuery.slice(0, q), pathWithQuery.slice(q)];
    const segs = path.split("/");
    for (let i = 1; i < segs.length; i++) if (segs[i - 1] === "namespaces") segs[i] = this.namespace(segs[i]!);
    return segs.join("/") + query;
  }
}
