/**
 * Cheap hashes for the oracle's direct-mapped tables (403 templates, the RBAC index's recent pairs).
 * They read some characters of each string instead of all of them: the strings met there are verbs,
 * resources, names and the like, which differ in length, at their start, middle or end. A slot that
 * two keys share costs only a rebuild, never a wrong answer: every table compares its keys in full.
 */

/**
 * Length, first and middle characters and the last eight of `s` as one number. The last ones because
 * verbs such as `impersonate-on:user-info:create` and `…:delete` differ only near their end.
 */
export function fold(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  let h = (n * 31 + s.charCodeAt(0)) * 31 + s.charCodeAt(n >> 1);
  for (let i = n > 8 ? n - 8 : 0; i < n; i++) h = Math.imul(h, 31) + s.charCodeAt(i);
  return h;
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
