import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { userInfo, type UserInfo } from "../core/index.ts";
import { cacheEntry, CACHE_TTL_MS, emptyState, forgetModeIndex, cloneState, MODE_INDEX_CAPACITY, StateAccess, type CacheEntry, type OracleState } from "./state.ts";

/** k8s.io/utils/lru as the plainest possible model: an array, least recent first. */
class ArrayLru {
  readonly items: [string, number][] = [];
  constructor(readonly capacity: number) {}
  get(k: string): number | undefined {
    const i = this.items.findIndex(([key]) => key === k);
    if (i < 0) return undefined;
    const [item] = this.items.splice(i, 1);
    this.items.push(item!);
    return item![1];
  }
  add(k: string, v: number): void {
    const i = this.items.findIndex(([key]) => key === k);
    if (i >= 0) this.items.splice(i, 1);
    this.items.push([k, v]);
    if (this.items.length > this.capacity) this.items.shift();
  }
}

/** One request's worth of state access at `now`, committed. */
function access<T>(s: OracleState, now: number, f: (a: StateAccess) => T, copyOnWrite = false): { value: T; state: OracleState } {
  const a = new StateAccess(s, now, copyOnWrite);
  const value = f(a);
  a.commit();
  return { value, state: a.result };
}

const alice = userInfo("alice", { groups: ["system:authenticated"] });
const wanted = (name: string, groups: string[] = []) => userInfo(name, { groups });
const USER_INFO = 3;

function store(s: OracleState, now: number, name: string, e: CacheEntry, layer: "outer" | "inner" = "inner", mode = USER_INFO): void {
  access(s, now, (a) => a.cacheSet(mode, layer, name, e));
}

function lookup(s: OracleState, now: number, name: string, k1: string, k2: string, w: UserInfo, r: UserInfo, layer: "outer" | "inner" = "inner"): CacheEntry | undefined {
  return access(s, now, (a) => {
    const entries = a.cacheEntriesOf(USER_INFO, layer, name);
    return entries === undefined ? undefined : a.cacheFind(entries, k1, k2, w, r);
  }).value;
}

type LruOp = { op: "add" | "get" | "cache"; key: string; value: number };

const lruOps = fc.array(
  fc.record({ op: fc.constantFrom("add" as const, "get" as const, "cache" as const), key: fc.integer({ min: 0, max: 12 }).map(String), value: fc.integer({ min: 0, max: 4 }) }),
  { maxLength: 300 },
);

describe("mode index", () => {
  // The LRU is a linked list through the name records, and records with cache entries outlive their
  // eviction from it: the order must stay exactly the model's whatever the interleaving.
  test.prop([fc.integer({ min: 1, max: 6 }), lruOps])("matches the array model of lru.Cache for any sequence", (capacity, ops: LruOp[]) => {
    const s = emptyState(capacity);
    const model = new ArrayLru(capacity);
    for (const o of ops) {
      if (o.op === "get") expect(access(s, 0, (a) => a.modeIndexGet(o.key)).value).toBe(model.get(o.key));
      else if (o.op === "add") {
        access(s, 0, (a) => a.modeIndexSet(o.key, o.value));
        model.add(o.key, o.value);
      } else store(s, 0, o.key, cacheEntry(alice, "impersonate:user-info", 0, wanted("bob"), alice, "bob", ""));
      expect([...s.modeIndex]).toEqual(model.items);
      expect(s.modeIndex.size).toBe(model.items.length);
    }
  });

  test("a clone evicts on its own and leaves the original alone", () => {
    const s = emptyState(2);
    for (const [k, v] of [["a", 0], ["b", 1], ["c", 2]] as const) access(s, 0, (a) => a.modeIndexSet(k, v));
    const copy = cloneState(s);
    access(copy, 0, (a) => a.modeIndexSet("d", 3));
    access(copy, 0, (a) => a.modeIndexSet("e", 4));
    expect([...copy.modeIndex.keys()]).toEqual(["d", "e"]);
    expect([...s.modeIndex.keys()]).toEqual(["b", "c"]);
    access(s, 0, (a) => a.modeIndexSet("f", 5));
    expect([...s.modeIndex.keys()]).toEqual(["c", "f"]);
  });

  test("forgetModeIndex empties the index and keeps the caches; an evicted name keeps its entries", () => {
    const s = emptyState(1);
    const e = cacheEntry(alice, "impersonate:user-info", 0, wanted("bob"), alice, "bob", "");
    store(s, 0, "alice", e);
    access(s, 0, (a) => a.modeIndexSet("alice", 3));
    access(s, 0, (a) => a.modeIndexSet("carol", 2)); // evicts alice from the index only
    expect([...s.modeIndex]).toEqual([["carol", 2]]);
    expect(lookup(s, 1, "alice", "bob", "", wanted("bob"), alice)).toBe(e);
    const forgot = forgetModeIndex(s);
    expect(forgot.modeIndex.size).toBe(0);
    expect(s.modeIndex.size).toBe(1);
    expect(lookup(forgot, 1, "alice", "bob", "", wanted("bob"), alice)).toBe(e);
    expect(access(forgot, 1, (a) => a.modeIndexGet("carol")).value).toBeUndefined();
  });
});

describe("caches", () => {
  test("finds an entry by name, key parts and users; expires it at exactly 10 s", () => {
    const s = emptyState();
    const w = wanted("bob");
    store(s, 1000, "alice", cacheEntry(alice, "impersonate:user-info", 1000, w, alice, "bob", ""));
    expect(lookup(s, 1000 + CACHE_TTL_MS - 1, "alice", "bob", "", wanted("bob"), userInfo("alice", { groups: ["system:authenticated"] }))?.user).toBe(alice);
    expect(lookup(s, 1000 + CACHE_TTL_MS, "alice", "bob", "", w, alice)).toBeUndefined();
    expect(lookup(s, 1000, "alice", "bob", "x", w, alice)).toBeUndefined();
    expect(lookup(s, 1000, "alice", "bob", "", wanted("bob", ["g"]), alice)).toBeUndefined();
    expect(lookup(s, 1000, "alice", "bob", "", w, alice, "outer")).toBeUndefined();
    expect(lookup(s, 1000, "carol", "bob", "", w, alice)).toBeUndefined();
  });

  test("a replaced entry keeps its key's place in values(); new keys follow in insertion order", () => {
    const s = emptyState();
    const e = (k1: string, at: number, groups: string[] = []) => cacheEntry(alice, "impersonate:user-info", at, wanted(k1, groups), alice, k1, "");
    store(s, 1, "alice", e("bob", 1));
    store(s, 2, "alice", e("carol", 2));
    store(s, 2, "dave", e("bob", 2));
    store(s, 3, "alice", e("bob", 3, ["g"])); // same (k1, k2), other users: a second entry in the chain
    store(s, 4, "alice", e("bob", 4)); // replaces the first
    const inner = s.caches[USER_INFO]!.inner;
    expect([...inner.values()].map((x) => [x.wanted.username, x.insertedAt])).toEqual([["bob", 4], ["carol", 2], ["bob", 2], ["bob", 3]]);
    expect(inner.size).toBe(4);
    expect(s.caches[USER_INFO]!.outer.size).toBe(0);
  });

  test("expiry drops only expired entries, and the names left with nothing", () => {
    const s = emptyState();
    const e = (at: number) => cacheEntry(alice, "impersonate:user-info", at, wanted("bob"), alice, "bob", "");
    for (let i = 0; i < 5000; i++) store(s, i, `r${i}`, e(i));
    // Writes expire from the 4096th queued entry on: up to now = 4999, nothing had expired.
    expect(s.caches[USER_INFO]!.inner.size).toBe(5000);
    const late = 4095 + CACHE_TTL_MS;
    for (let i = 0; i < 5000; i++) store(s, late, `s${i}`, e(late));
    // The first write at `late` dropped r0…r4095, which had just expired.
    expect(s.caches[USER_INFO]!.inner.size).toBe(10_000 - 4096);
    expect(access(s, late, (a) => a.cacheEntriesOf(USER_INFO, "inner", "r4095")).value).toBeUndefined();
    expect(access(s, late, (a) => a.cacheEntriesOf(USER_INFO, "inner", "r4096")).value).toBeDefined();
  });

  // Expiry walks a queue of the entries in write order, beside the caches: whatever the writes,
  // replacements, clock steps and clones, what a lookup finds must be what a plain map of the last
  // write per key finds, and right after a write exactly the live entries are held.
  const cacheOps = fc.array(
    fc.oneof(
      fc.record({ op: fc.constant("store" as const), name: fc.integer({ min: 0, max: 3 }), k1: fc.constantFrom("bob", "carol"), groups: fc.integer({ min: 0, max: 1 }), outer: fc.boolean() }),
      fc.record({ op: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 12_000 }) }),
      fc.record({ op: fc.constant("clone" as const) }),
    ),
    { minLength: 10, maxLength: 60 },
  );
  test.prop([cacheOps])("expiry keeps what lookups find and drops exactly the expired entries", (ops) => {
    let s = emptyState(MODE_INDEX_CAPACITY, 1);
    let now = 0;
    const model = new Map<string, CacheEntry>();
    const keyOf = (name: number, layer: string, k1: string, groups: number) => `${name}/${layer}/${k1}/${groups}`;
    const live = () => [...model.values()].filter((e) => now < e.insertedAt + CACHE_TTL_MS);
    const held = (x: OracleState) => new Set([...x.caches[USER_INFO]!.inner.values(), ...x.caches[USER_INFO]!.outer.values()]);
    // Each state cloned, with what it held then: later writes go to the clone.
    const originals: [OracleState, Set<CacheEntry>][] = [];
    for (const o of ops) {
      if (o.op === "advance") now += o.ms;
      else if (o.op === "clone") {
        originals.push([s, held(s)]);
        s = cloneState(s);
      } else {
        const layer = o.outer ? "outer" : "inner";
        const w = wanted(o.k1, o.groups ? ["g"] : []);
        const e = cacheEntry(alice, "impersonate:user-info", now, w, alice, o.k1, "", undefined);
        store(s, now, `n${o.name}`, e, layer);
        model.set(keyOf(o.name, layer, o.k1, o.groups), e);
      }
      for (const [key, e] of model) {
        const [name, layer, k1, groups] = key.split("/");
        const w = wanted(k1!, groups === "1" ? ["g"] : []);
        const found = access(s, now, (a) => {
          const entries = a.cacheEntriesOf(USER_INFO, layer as "outer" | "inner", `n${name}`);
          return entries === undefined ? undefined : a.cacheFind(entries, k1!, "", w, alice);
        }).value;
        expect(found).toBe(now < e.insertedAt + CACHE_TTL_MS ? e : undefined);
      }
      if (o.op === "store") expect(held(s)).toEqual(new Set(live()));
    }
    for (const [original, then] of originals) expect(held(original)).toEqual(then);
  });

  test("copy-on-write leaves the input state as it was", () => {
    const s = emptyState();
    const out = access(s, 0, (a) => {
      a.cacheSet(USER_INFO, "outer", "alice", cacheEntry(alice, "impersonate:user-info", 0, wanted("bob"), alice, "bob", "GET"));
      a.modeIndexSet("alice", USER_INFO);
    }, true).state;
    expect(out).not.toBe(s);
    expect([s.modeIndex.size, s.caches[USER_INFO]!.outer.size]).toEqual([0, 0]);
    expect([[...out.modeIndex], out.caches[USER_INFO]!.outer.size]).toEqual([[["alice", USER_INFO]], 1]);
  });
});
