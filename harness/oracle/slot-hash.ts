/**
 * Cheap hashes for the oracle's direct-mapped tables (the 403 templates of messages.ts).
 * They read some characters of each string instead of all of them: the strings met there are verbs,
 * resources, names and the like, which differ in length, at their start, middle or end. A slot that
 * two keys share costs only a rebuild, never a wrong answer: every table compares its keys in full.
 */

/**
 * Length and four characters of `s` (first, middle, fourth from last, last) as one number. Not more:
 * a Map lookup reuses the hash V8 keeps in the string, while this is computed on every call. The
 * fourth from last tells apart verbs such as `impersonate-on:user-info:create` and `…:delete`.
 */
export function fold(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  const h = ((n * 31 + s.charCodeAt(0)) * 31 + s.charCodeAt(n >> 1)) * 31 + s.charCodeAt(n - 1);
  return n < 4 ? h : h * 31 + s.charCodeAt(n - 4);
}

/** Mixes the fold of `s` into `h`. */
export function mixFold(h: number, s: string): number {
  return Math.imul(h ^ fold(s), 0x9e3779b1) ^ (h >>> 16);
}

/** murmur3's 32-bit finaliser: every bit of `h` reaches the low bits that pick a slot. */
export function finalizeHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
