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

/**
 * `memoize` for a pure function of two strings, keyed by one Map per first argument: no key string is
 * built, and argument strings seen before (HTTP methods, request paths) are already hashed.
 */
export function memoize2<V>(limit: number, fn: (a: string, b: string) => V): (a: string, b: string) => V {
  let cache = new Map<string, Map<string, V>>();
  let size = 0;
  return (a: string, b: string): V => {
    let inner = cache.get(a);
    if (inner !== undefined) {
      const hit = inner.get(b);
      if (hit !== undefined) return hit;
    }
    const value = fn(a, b);
    if (size >= limit) {
      cache = new Map();
      size = 0;
      inner = undefined;
    }
    if (inner === undefined) cache.set(a, (inner = new Map()));
    inner.set(b, value);
    size++;
    return value;
  };
}
