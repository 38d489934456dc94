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
 * `memoize` for a pure function of two strings whose first argument takes few values (HTTP methods):
 * one Map keyed by the second argument (request paths, already hashed when seen before), each entry a
 * short list of (first argument, value) pairs scanned by identity. No key string is built, and a hit
 * costs one Map lookup. `limit` bounds the values kept.
 */
export function memoize2<V>(limit: number, fn: (a: string, b: string) => V): (a: string, b: string) => V {
  let cache = new Map<string, (string | V)[]>();
  let size = 0;
  return (a: string, b: string): V => {
    let pairs = cache.get(b);
    if (pairs !== undefined) for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === a) return pairs[i + 1] as V;
    const value = fn(a, b);
    if (size >= limit) {
      cache = new Map();
      size = 0;
      pairs = undefined;
    }
    if (pairs === undefined) cache.set(b, (pairs = []));
    pairs.push(a, value);
    size++;
    return value;
  };
}
