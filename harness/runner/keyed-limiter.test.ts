import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { KeyedLimiter } from "./keyed-limiter.ts";

describe("KeyedLimiter", () => {
  it("never exceeds the limit and never overlaps tasks sharing a key", async () => {
    const limiter = new KeyedLimiter(3);
    let running = 0;
    let peak = 0;
    const inFlight = new Set<string>();
    const tasks = Array.from({ length: 40 }, (_, i) => {
      const keys = [`r${i}`, `u${i % 4}`];
      return limiter.run(keys, async () => {
        running++;
        peak = Math.max(peak, running);
        for (const k of keys) {
          expect(inFlight.has(k), `key ${k} overlapped`).toBe(false);
          inFlight.add(k);
        }
        await sleep(2);
        for (const k of keys) inFlight.delete(k);
        running--;
        return i;
      });
    });
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(peak).toBe(3);
  });

  it("rejects a nonsensical limit", () => {
    expect(() => new KeyedLimiter(0)).toThrow(/positive integer/);
  });
});
