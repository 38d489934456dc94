import fc from "fast-check";

/**
 * A constant picked with the given weights (@internal). The first entry is the shrink target
 * (`oneof` shrinks towards its first branch), so list the simplest value first.
 */
export function weighted<T>(entries: readonly (readonly [value: T, weight: number])[]): fc.Arbitrary<T> {
  const live = entries.filter(([, w]) => w > 0);
  if (live.length === 0) throw new RangeError("weighted: every weight is 0");
  if (live.length === 1) return fc.constant(live[0]![0]);
  return fc.oneof({ withCrossShrink: true }, ...live.map(([v, w]) => ({ arbitrary: fc.constant(v), weight: w })));
}

/** `true` with probability 1/`oneIn` (shrinks to false). */
export function rarely(oneIn: number): fc.Arbitrary<boolean> {
  return weighted([
    [false, oneIn - 1],
    [true, 1],
  ]);
}

/** Throws a RangeError naming the constraint when a weight is not a finite non-negative number. */
export function assertWeights(what: string, weights: Readonly<Record<string, number | undefined>>): void {
  for (const [k, w] of Object.entries(weights)) {
    if (w !== undefined && !(Number.isFinite(w) && w >= 0)) throw new RangeError(`${what}.${k} must be a finite weight >= 0, got ${w}`);
  }
}

/** `arb` one time in `oneIn` (0: never), else the constant `otherwise` (the shrink target). */
export function sometimes<T, U>(oneIn: number, arb: fc.Arbitrary<T>, otherwise: U): fc.Arbitrary<T | U> {
  if (oneIn === 0) return fc.constant(otherwise);
  if (oneIn === 1) return arb;
  return fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(otherwise), weight: oneIn - 1 }, { arbitrary: arb, weight: 1 });
}
