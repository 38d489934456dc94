/**
 * `list.includes(s)` for a list of strings, as a loop the JIT inlines. `includes` is a builtin call
 * each time, and the authorizers ask this for every check (system:masters) and every subject of every
 * candidate binding: the calls were about 5% of the oracle's instructions. Same result: for strings,
 * SameValueZero is `===`.
 */
export function hasString(list: readonly string[], s: string): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === s) return true;
  return false;
}
