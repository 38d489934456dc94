/**
 * The engine's own copy of a string, for the short vocabulary strings that every check looks up in maps
 * and sets (verbs, API groups, resources, namespaces, names): request attributes, compiled RBAC rules and
 * the mode verbs all pass through here once, when they are made.
 *
 * Why: V8 compares two strings it has internalized (source literals, property keys) by identity, while a
 * string cut from a URL or read from a World must be compared character by character wherever a
 * Map/Set probe meets it. The RBAC index probes several maps and sets per check, so those comparisons
 * were a measurable share of the oracle's work. A property key is internalized, so reading one back
 * gives the engine's copy. Only speed depends on it: equal strings stay equal either way. Strings that
 * look like array indexes ("0", "12") are not property-name keys and come back as new strings.
 */
export function internalize(s: string): string {
  const o: Record<string, 0> = { [s]: 0 };
  for (const k in o) return k;
  return s;
}
