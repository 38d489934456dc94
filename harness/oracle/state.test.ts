import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { userInfo } from "../core/index.ts";
import { cacheEntry, CACHE_TTL_MS, LruIndex, TtlCache } from "./state.ts";

/** k8s.io/utils/lru as the plainest possible model: an array, least recent first. */
class ArrayLru {
  readonly items: [string, number][] = [];
  constructor(readonly capacity: number) {}
  touch(k: string): void {
    const i = this.items.findIndex(([key]) => key === k);
    if (i >= 0) this.items.push(...this.items.splice(i, 1));
  }
  add(k: string, v: number): void {
    const i = this.items.findIndex(([key]) => key === k);
    if (i >= 0) this.items.splice(i, 1);
    this.items.push([k, v]);
    if (this.items.length > this.capacity) this.items.shift();
  }
}

type LruOp = { op: "add" | "touch"; key: string; value: number };

const lruOps = fc.array(
  fc.record({ op: fc.constantFrom("add" as const, "touch" as const), key: fc.integer({ min: 0, max: 12 }).map(String), value: fc.integer({ min: 0, max: 4 }) }),
  { maxLength: 400 },
);

describe("LruIndex", () => {
  // Evictions go through one iterator kept across calls; moves and evictions leave deleted slots in the
  // Map. The order must stay exactly the model's whatever the interleaving.
  test.prop([fc.integer({ min: 1, max: 6 }), lruOps])("matches the array model of lru.Cache for any sequence", (capacity, ops: LruOp[]) => {
    const lru = new LruIndex(capacity);
    const model = new ArrayLru(capacity);
    for (const o of ops) {
      if (o.op === "touch") {
        lru.touch(o.key);
        model.touch(o.key);
      } else if (lru.has(o.key)) {
        lru.add(o.key, o.value);
        model.add(o.key, o.value);
      } else {
        lru.addAbsent(o.key, o.value);
        model.add(o.key, o.value);
      }
      expect([...lru]).toEqual(model.items);
    }
  });

  test("a clone evicts on its own and leaves the original alone", () => {
    const lru = new LruIndex(2);
    lru.add("a", 0);
    lru.add("b", 1);
    lru.add("c", 2); // evicts a; the kept iterator now sits inside the original
    const copy = lru.clone();
    copy.add("d", 3);
    copy.add("e", 4);
    expect([...copy.keys()]).toEqual(["d", "e"]);
    expect([...lru.keys()]).toEqual(["b", "c"]);
    lru.add("f", 5);
    expect([...lru.keys()]).toEqual(["c", "f"]);
  });
});

describe("TtlCache", () => {
  const alice = userInfo("alice", { groups: ["system:authenticated"] });
  const wanted = (name: string, groups: string[] = []) => userInfo(name, { groups });

  test("finds an entry by name, key parts and users; expires it at exactly 10 s", () => {
    const c = new TtlCache();
    const w = wanted("bob");
    c.set("alice", cacheEntry(alice, "impersonate:user-info", 1000, w, alice, "bob", ""), 1000);
    const entries = c.entriesOf("alice")!;
    expect(c.find(entries, "bob", "", wanted("bob"), userInfo("alice", { groups: ["system:authenticated"] }), 1000 + CACHE_TTL_MS - 1)?.user).toBe(alice);
    expect(c.find(entries, "bob", "", w, alice, 1000 + CACHE_TTL_MS)).toBeUndefined();
    expect(c.find(entries, "bob", "x", w, alice, 1000)).toBeUndefined();
    expect(c.find(entries, "bob", "", wanted("bob", ["g"]), alice, 1000)).toBeUndefined();
    expect(c.entriesOf("carol")).toBeUndefined();
  });

  test("a replaced entry keeps its key's place in values(); new keys follow in insertion order", () => {
    const c = new TtlCache();
    const e = (k1: string, at: number, groups: string[] = []) => cacheEntry(alice, "impersonate:user-info", at, wanted(k1, groups), alice, k1, "");
    c.set("alice", e("bob", 1), 1);
    c.set("alice", e("carol", 2), 2);
    c.set("alice", e("bob", 3, ["g"]), 3); // same (k1, k2), other users: a second entry in the chain
    c.set("alice", e("bob", 4), 4); // replaces the first
    expect([...c.values()].map((x) => [x.wanted.username, x.insertedAt])).toEqual([["bob", 4], ["carol", 2], ["bob", 3]]);
    expect(c.size).toBe(3);
  });

  test("pruning drops only expired entries", () => {
    const c = new TtlCache();
    for (let i = 0; i < 5000; i++) c.set(`r${i}`, cacheEntry(alice, "impersonate:user-info", i, wanted("bob"), alice, "bob", ""), i);
    // The 4096th insertion pruned at now = 4095: nothing had expired yet.
    expect(c.size).toBe(5000);
    const late = 4095 + CACHE_TTL_MS;
    for (let i = 0; i < 3192; i++) c.set(`s${i}`, cacheEntry(alice, "impersonate:user-info", late, wanted("bob"), alice, "bob", ""), late);
    // Pruned at 8192 entries, at a time when r0…r4095 had expired.
    expect(c.size).toBe(8192 - 4096);
    expect(c.entriesOf("r4095")).toBeUndefined();
    expect(c.entriesOf("r4096")).toBeDefined();
  });
});
