import fc from "fast-check";
import { POOL_NAMESPACES, SHARED_NAMESPACES } from "./_internals/vocabulary.ts";

export interface NamespaceNameConstraints {
  /**
   * Weight of the shared namespaces (`default`, `kube-system`) against the case-local pool
   * (`ns-a`, `ns-b`, `ns-c`, weight 10). Local namespaces are created and renamed per case;
   * shared ones exist everywhere and never hold case objects.
   * @defaultValue 0
   */
  readonly sharedWeight?: number;
}

/** A namespace name: mostly a case-local pool namespace, sometimes (if asked) a shared one. */
export function namespaceName(constraints: NamespaceNameConstraints = {}): fc.Arbitrary<string> {
  const sharedWeight = constraints.sharedWeight ?? 0;
  if (!(Number.isFinite(sharedWeight) && sharedWeight >= 0)) throw new RangeError(`namespaceName: sharedWeight must be >= 0, got ${sharedWeight}`);
  const local = fc.constantFrom(...POOL_NAMESPACES);
  if (sharedWeight === 0) return local;
  return fc.oneof({ withCrossShrink: true }, { arbitrary: local, weight: 10 }, { arbitrary: fc.constantFrom(...SHARED_NAMESPACES), weight: sharedWeight });
}
