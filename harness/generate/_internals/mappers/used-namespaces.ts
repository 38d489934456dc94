import { POOL_NAMESPACES } from "../vocabulary.ts";

/**
 * Pool namespaces a template mentions anywhere (object namespaces, SA subjects, requestor and target
 * SA names, `system:serviceaccounts:<ns>` groups, request paths), in pool order (@internal).
 */
export function usedPoolNamespaces(...values: unknown[]): string[] {
  const seen = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const seg of v.split(/[:/?&=]/)) if ((POOL_NAMESPACES as readonly string[]).includes(seg)) seen.add(seg);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
  };
  values.forEach(visit);
  return POOL_NAMESPACES.filter((ns) => seen.has(ns));
}
