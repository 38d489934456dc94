/** `20261128-181502-s12345`: sortable by time, names the seed, unique per second and seed. */
export function makeRunId(seed: number | undefined, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return seed === undefined ? stamp : `${stamp}-s${seed}`;
}

/**
 * A short prefix unique to one execution of one case in this process: `f<run tag><counter>-`.
 * Names stay valid DNS-1123 labels; every shrink attempt and replay gets a new one, so the server's
 * mode index (no expiry) and 10 s caches never carry over between executions.
 */
export class PrefixSource {
  private n = 0;
  private readonly tag: string;
  constructor(seed: number) {
    this.tag = (seed >>> 0).toString(36).slice(-4) + Date.now().toString(36).slice(-3);
  }
  next(): string {
    this.n++;
    return `f${this.tag}${this.n.toString(36)}-`;
  }
}
