/** A POSIX shell single-quoted word: safe for any string (a `'` becomes `'\''`). */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
