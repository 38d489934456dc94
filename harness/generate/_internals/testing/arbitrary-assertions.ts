/**
 * The fast-check way of testing an arbitrary (@internal, tests only): same seed → same values;
 * generated values are valid; every value the shrinker tries is valid; values an unmapper can read
 * shrink without their context into valid values.
 */
import fc from "fast-check";
import { expect } from "vitest";

export function assertSeedStable<T>(arb: fc.Arbitrary<T>, numRuns = 30): void {
  for (const seed of [1, 42, 4242]) {
    const a = fc.sample(arb, { seed, numRuns });
    const b = fc.sample(arb, { seed, numRuns });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  }
}

export function assertValid<T>(arb: fc.Arbitrary<T>, problems: (v: T) => readonly string[], numRuns = 200): void {
  fc.assert(
    fc.property(arb, (v) => {
      expect(problems(v)).toEqual([]);
    }),
    { numRuns, seed: 7 },
  );
}

/**
 * Shrinks from `runs` starting values under a predicate that keeps failing while `interesting`
 * holds, and checks every candidate the shrinker tried. Returns how many candidates were seen.
 */
export function assertShrinksValid<T>(
  arb: fc.Arbitrary<T>,
  problems: (v: T) => readonly string[],
  options: { runs?: number; interesting?: (v: T) => boolean; maxCandidates?: number } = {},
): number {
  const bad: string[] = [];
  let seen = 0;
  for (let run = 0; run < (options.runs ?? 5); run++) {
    let budget = options.maxCandidates ?? 400;
    fc.check(
      fc.property(arb, (v) => {
        seen++;
        budget--;
        const p = problems(v);
        if (p.length) bad.push(...p.map((x) => `run ${run}: ${x}`));
        if (budget <= 0) return true; // stop shrinking once the budget is spent
        return options.interesting ? !options.interesting(v) : false;
      }),
      { seed: 1000 + run, numRuns: 50 },
    );
  }
  expect(bad.slice(0, 20)).toEqual([]);
  return seen;
}

/** For arbitraries with an unmapper: generated values are recognised, and their context-free shrinks are valid. */
export function assertShrinkWithoutContext<T>(arb: fc.Arbitrary<T>, problems: (v: T) => readonly string[], numRuns = 60): void {
  for (const v of fc.sample(arb, { seed: 99, numRuns })) {
    expect(arb.canShrinkWithoutContext(v)).toBe(true);
    for (const s of arb.shrink(v, undefined).take(20)) expect(problems(s.value)).toEqual([]);
  }
}
