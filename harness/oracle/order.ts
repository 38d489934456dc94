/**
 * Go map iteration order (SPEC §5 merged extra headers, §7 step 4 extra keys, §7 gate OFF request list,
 * §16.18). Go randomises `for k := range m` on every loop, so wherever the filter ranges over a map the
 * server may take any order. Decision: the oracle does not guess. Every such loop asks an OrderChooser;
 * the primary prediction uses wire (first-appearance) order, and when a loop had more than one possible
 * order the request is re-run under every combination of orders (read-only, see state.ts) and the
 * distinct admissible (checks, message, user) results are returned as `alternatives`; compare/ accepts
 * any of them, so those fields stay determinate. Only beyond MAX_ORDER_COMBINATIONS are they named in
 * `indeterminate` instead. Decisions never depend on the order (the authorizer is pure, success needs every check
 * to pass); only the check list, the message and — for merged header spellings — the extra value order
 * (hence the user and the cache keys) do.
 */

export interface OrderChooser {
  /** The order of one `range` over `items` (a permutation; the input when there is no choice). */
  mapOrder<T>(items: readonly T[]): readonly T[];
  /** One of `n` outcomes that depend on map order (e.g. which invalid extra key is reported). */
  pick(n: number): number;
}

/** The primary order: as given; records how many choices each loop offered. */
export class PrimaryOrder implements OrderChooser {
  private recorded: number[] | undefined; // made on the first choice: most requests offer none
  get radices(): readonly number[] {
    return this.recorded ?? NO_RADICES;
  }
  mapOrder<T>(items: readonly T[]): readonly T[] {
    for (let n = items.length; n >= 2; n--) (this.recorded ??= []).push(n);
    return items;
  }
  pick(n: number): number {
    if (n >= 2) (this.recorded ??= []).push(n);
    return 0;
  }
}

const NO_RADICES: readonly number[] = [];

/** Replays one combination: `digits[i]` is the choice (0 ≤ d < radix) for the i-th choice of radix ≥ 2. */
export class ScriptedOrder implements OrderChooser {
  private at = 0;
  constructor(private readonly digits: readonly number[]) {}
  get consumed(): number {
    return this.at;
  }
  private next(n: number): number {
    if (n < 2) return 0;
    return this.digits[this.at++] ?? 0;
  }
  mapOrder<T>(items: readonly T[]): readonly T[] {
    if (items.length < 2) return items;
    const rest = [...items];
    const out: T[] = [];
    while (rest.length > 0) out.push(rest.splice(this.next(rest.length), 1)[0]!);
    return out;
  }
  pick(n: number): number {
    return this.next(n);
  }
}

/** Every digit combination for the recorded radices (mixed-radix counting), or null beyond `limit`. */
export function allCombinations(radices: readonly number[], limit: number): number[][] | null {
  let total = 1;
  for (const r of radices) {
    total *= r;
    if (total > limit) return null;
  }
  const out: number[][] = [];
  const digits = radices.map(() => 0);
  for (let i = 0; i < total; i++) {
    out.push([...digits]);
    for (let p = digits.length - 1; p >= 0; p--) {
      digits[p]!++;
      if (digits[p]! < radices[p]!) break;
      digits[p] = 0;
    }
  }
  return out;
}
