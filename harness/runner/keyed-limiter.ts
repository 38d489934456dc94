/**
 * Runs at most `max` tasks at once, and never two at once that share a key. The runner keys a probe by
 * every username its checks can carry (the requestor, and the user it may end up as), because
 * SubjectAccessReviews carry no request id: two probes in flight that end up as the same user would
 * make each other's final authorization checks indistinguishable.
 */
export class KeyedLimiter {
  private running = 0;
  private readonly busy = new Set<string>();
  private readonly waiting: { keys: readonly string[]; start: () => void }[] = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
  }

  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        for (const k of keys) this.busy.add(k);
        task()
          .then(resolve, reject)
          .finally(() => {
            this.running--;
            for (const k of keys) this.busy.delete(k);
            this.pump();
          });
      };
      this.waiting.push({ keys, start });
      this.pump();
    });
  }

  private pump(): void {
    for (let i = 0; i < this.waiting.length && this.running < this.max; ) {
      const w = this.waiting[i]!;
      if (w.keys.some((k) => this.busy.has(k))) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      w.start();
    }
  }
}
