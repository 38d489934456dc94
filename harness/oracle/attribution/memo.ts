/**
 * A bounded memo for pure string-keyed functions of the attribution hot path (the fuzzer repeats
 * request shapes and selectors constantly). Values must be immutable: they are shared between callers.
 * When full it starts over, which is cheap and keeps memory bounded without LRU bookkeeping.
 */
export function memoize<V>(limit: number, fn: (key: string) => V): (key: string) => V {
  const cache = new Map<string, V>();
  return (key: string): V => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}
