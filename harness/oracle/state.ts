/**
 * The per-process state of the impersonation filter (SPEC §7 "State kept per kube-apiserver process"),
 * as one explicit, cloneable value: the mode index (tracker.ts) and, per constrained mode, the outer and
 * inner TTL caches (caches.ts). Never global: every oracle owns one, snapshots are cheap shallow copies,
 * and the functional form copies a map only when it first writes to it.
 *
 * `taints` is the oracle's own bookkeeping, not the server's: requestor names whose server-side state the
 * oracle cannot know exactly (an earlier check the authorizer model could not decide, or cache keys that
 * depended on Go map order). Predictions for a tainted requestor say so instead of guessing.
 */
import type { Constraint, UserInfo } from "../core/index.ts";
import type { FilterRequest } from "./types.ts";

/**
 * One successful result in an outer or inner cache. `user` is Go strings. `k1`/`k2` are the key parts the
 * entry is filed under below the requestor name (see TtlCache). The entry is the one object a cache keeps
 * per result (no separate slot): cache entries live 10 s, long enough to be copied by every young-generation
 * GC until promoted, so each object kept per success costs far more than its allocation.
 */
export interface CacheEntry {
  readonly user: UserInfo;
  readonly constraint: Constraint;
  readonly insertedAt: number;
  readonly wanted: UserInfo;
  readonly requestor: UserInfo;
  /** Outer entries only: the request the key was made from (§7c). */
  readonly request?: FilterRequest;
  readonly k1: string;
  readonly k2: string;
}

/** An entry as a TtlCache holds it: plus the insertion sequence of its key (set once, when it is stored). */
interface Stored extends CacheEntry {
  seq: number;
}

/** A new entry for `TtlCache.set` (one shape per layer: inner entries have no `request`). */
export function cacheEntry(
  user: UserInfo, constraint: Constraint, insertedAt: number, wanted: UserInfo, requestor: UserInfo, k1: string, k2: string, request?: FilterRequest,
): CacheEntry {
  const e: Stored = request === undefined
    ? { user, constraint, insertedAt, wanted, requestor, k1, k2, seq: 0 }
    : { user, constraint, insertedAt, wanted, requestor, request, k1, k2, seq: 0 };
  return e;
}

/**
 * One TTL cache (cache.go impersonationCache over util/cache.Expiring): entries live exactly 10 s from
 * insertion. Stored per requestor name first — upstream namespaces every key by the requestor name too —
 * so a lookup for a requestor with no entries costs one short-string probe instead of hashing a long key.
 *
 * Below the name an entry is found by two strings, `k1` (the wanted user's name) and `k2` (the
 * request's key; in inner caches the wanted uid, a mere partition: any function of the users would do),
 * then by its users themselves: the entries under one (name, k1, k2) are told apart by comparing the
 * wanted user and the requestor with the entry's own (`sameUser`:
 * name, uid, groups in order, extras as a map of value lists) — exactly the equality upstream's key
 * encodes, with no key string built or hashed. Expired entries are dropped in bulk once the cache has
 * doubled since its last pruning (amortised O(1) per insertion; expired entries never answer, so when
 * they go is not observable). `values()` yields names in first-insertion order and, within a name,
 * entries in first-insertion order of their key.
 */
export class TtlCache {
  // name → its only entry (the common case, no Map allocated), or its entries by k1, then k2
  private byName = new Map<string, Stored | ByKey>();
  private count = 0;
  private pruneAt = 4096;
  /** Insertion sequence: a key's first insertion fixes its place in `values()`. */
  private seq = 0;

  /** Entries held, expired ones not yet pruned included. */
  get size(): number {
    return this.count;
  }

  /**
   * The entries of `name` (possibly expired), to pass to `find`, or undefined: without any, no lookup for
   * the name needs a key. One map probe serves both questions.
   */
  entriesOf(name: string): NameEntries | undefined {
    return this.byName.get(name);
  }

  /** The live entry of `entries` (from `entriesOf`) for (k1, k2, wanted, requestor), if any. */
  find(entries: NameEntries, k1: string, k2: string, wanted: UserInfo, requestor: UserInfo, now: number): CacheEntry | undefined {
    const s = entries as Stored | ByKey;
    let e: Stored | undefined;
    if (s instanceof Map) e = inChain(s.get(k1)?.get(k2), wanted, requestor);
    else if (s.k1 === k1 && s.k2 === k2 && matches(s, wanted, requestor)) e = s;
    return e !== undefined && now < e.insertedAt + CACHE_TTL_MS ? e : undefined;
  }

  /** Store `entry` (made by `cacheEntry`, stored nowhere else) under `name` and its own k1, k2. */
  set(name: string, entry: CacheEntry, now: number): void {
    const e = entry as Stored;
    const { k1, k2 } = e;
    const s = this.byName.get(name);
    if (s === undefined) {
      e.seq = this.seq++;
      this.byName.set(name, e);
      this.count++;
    } else if (!(s instanceof Map) && s.k1 === k1 && s.k2 === k2 && matches(s, e.wanted, e.requestor)) {
      e.seq = s.seq;
      this.byName.set(name, e);
    } else {
      let m: ByKey;
      if (s instanceof Map) m = s;
      else {
        m = new Map([[s.k1, new Map([[s.k2, s]])]]);
        this.byName.set(name, m);
      }
      let byK2 = m.get(k1);
      if (byK2 === undefined) m.set(k1, (byK2 = new Map()));
      const chain = byK2.get(k2);
      if (chain === undefined) {
        e.seq = this.seq++;
        byK2.set(k2, e);
        this.count++;
      } else {
        const list = Array.isArray(chain) ? chain : [chain];
        const i = indexInChain(list, e.wanted, e.requestor);
        if (i >= 0) {
          e.seq = list[i]!.seq;
          list[i] = e;
        } else {
          e.seq = this.seq++;
          list.push(e);
          this.count++;
        }
        byK2.set(k2, list.length === 1 ? list[0]! : list);
      }
    }
    if (this.count >= this.pruneAt) this.prune(now);
  }

  *values(): IterableIterator<CacheEntry> {
    for (const s of this.byName.values()) {
      if (!(s instanceof Map)) {
        yield s;
        continue;
      }
      const list: Stored[] = [];
      for (const byK2 of s.values()) for (const chain of byK2.values()) pushChain(list, chain);
      list.sort((a, b) => a.seq - b.seq);
      yield* list;
    }
  }

  clone(): TtlCache {
    const c = new TtlCache();
    for (const [name, s] of this.byName) {
      if (!(s instanceof Map)) c.byName.set(name, s);
      else {
        const m: ByKey = new Map();
        for (const [k1, byK2] of s) {
          const copy = new Map<string, Chain>();
          for (const [k2, chain] of byK2) copy.set(k2, Array.isArray(chain) ? [...chain] : chain);
          m.set(k1, copy);
        }
        c.byName.set(name, m);
      }
    }
    c.count = this.count;
    c.pruneAt = this.pruneAt;
    c.seq = this.seq;
    return c;
  }

  private prune(now: number): void {
    const live = new Map<string, Stored | ByKey>();
    let count = 0;
    const alive = (e: Stored): boolean => now < e.insertedAt + CACHE_TTL_MS;
    for (const [name, s] of this.byName) {
      if (!(s instanceof Map)) {
        if (alive(s)) {
          live.set(name, s);
          count++;
        }
        continue;
      }
      let keep: ByKey | undefined;
      for (const [k1, byK2] of s) {
        let keep2: Map<string, Chain> | undefined;
        for (const [k2, chain] of byK2) {
          const list: Stored[] = [];
          pushChain(list, chain);
          const alive2 = list.filter(alive);
          if (alive2.length === 0) continue;
          (keep2 ??= new Map()).set(k2, alive2.length === 1 ? alive2[0]! : alive2);
          count += alive2.length;
        }
        if (keep2) (keep ??= new Map()).set(k1, keep2);
      }
      if (keep) live.set(name, keep);
    }
    this.byName = live;
    this.count = count;
    this.pruneAt = Math.max(4096, 2 * count);
  }
}

/** What `TtlCache.entriesOf` hands out: opaque to callers. */
export type NameEntries = object;

/** Entries under one (name, k1, k2): usually one, several only when their users differ. */
type Chain = Stored | Stored[];
type ByKey = Map<string, Map<string, Chain>>;

function pushChain(out: Stored[], chain: Chain): void {
  if (Array.isArray(chain)) out.push(...chain);
  else out.push(chain);
}

function inChain(chain: Chain | undefined, wanted: UserInfo, requestor: UserInfo): Stored | undefined {
  if (chain === undefined) return undefined;
  if (!Array.isArray(chain)) return matches(chain, wanted, requestor) ? chain : undefined;
  for (const e of chain) if (matches(e, wanted, requestor)) return e;
  return undefined;
}

// A loop, not findIndex with a closure: a closure over `entry` would cost `set` a context allocation
// on every call (V8 makes a function's context on entry), and `set` runs for every cache write.
function indexInChain(list: readonly Stored[], wanted: UserInfo, requestor: UserInfo): number {
  for (let i = 0; i < list.length; i++) if (matches(list[i]!, wanted, requestor)) return i;
  return -1;
}

function matches(e: CacheEntry, wanted: UserInfo, requestor: UserInfo): boolean {
  return sameUser(e.wanted, wanted) && sameUser(e.requestor, requestor);
}

/**
 * The user equality the cache key encodes (cache.go buildKey): name, uid, groups in order, and extras
 * as a map (same keys, each with the same values in order; key order is irrelevant).
 */
export function sameUser(a: UserInfo, b: UserInfo): boolean {
  if (a === b) return true;
  if (a.username !== b.username || a.uid !== b.uid) return false;
  const ga = a.groups;
  const gb = b.groups;
  if (ga !== gb) {
    if (ga.length !== gb.length) return false;
    for (let i = 0; i < ga.length; i++) if (ga[i] !== gb[i]) return false;
  }
  const ea = a.extra;
  const eb = b.extra;
  if (ea === eb || (isEmpty(ea) && isEmpty(eb))) return true;
  const ka = Object.keys(ea);
  if (ka.length !== Object.keys(eb).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(eb, k)) return false;
    const va = ea[k]!;
    const vb = eb[k]!;
    if (va === vb) continue;
    if (va.length !== vb.length) return false;
    for (let i = 0; i < va.length; i++) if (va[i] !== vb[i]) return false;
  }
  return true;
}

/** No enumerable key (own or not): the usual extras, told apart without Object.keys' arrays. */
function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

export interface ModeCaches {
  readonly outer: TtlCache;
  readonly inner: TtlCache;
}

export interface Taint {
  /** Clock time (ms) after which the taint no longer applies; Infinity for mode-index effects. */
  readonly until: number;
  readonly reason: string;
}

/**
 * k8s.io/utils/lru semantics (Add/Get make an entry most recent, the least recent is evicted beyond the
 * capacity) on one Map kept in recency order: a Map iterates in insertion order, so "make most recent" is
 * delete + set, and the least recent entry is the first one. No node object per name: an entry is kept
 * (and, in a long run, copied by the young-generation GC until promoted) for every requestor that succeeds.
 *
 * The oldest entry is found with one iterator kept across evictions rather than a fresh `keys()` each
 * time: V8 leaves a deleted entry's slot empty until the table is rebuilt, and evictions and moves empty
 * slots at the front, which a fresh iterator would step over on every eviction. A Map iterator stays
 * valid while its Map changes (it visits later insertions and skips deletions, ECMA-262 §24.1.5.1), and
 * everything before its position has been deleted, so its next entry is always the least recent one.
 * Iteration is least recently used first.
 */
export class LruIndex implements ReadonlyMap<string, number> {
  private readonly map = new Map<string, number>();
  /** Positioned at or before the least recent entry; replaced when it runs out (an exhausted iterator stays done). */
  private oldest: MapIterator<string> | undefined;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
  /** Read without touching (what a snapshot or a read-only re-run may do). */
  peek(key: string): number | undefined {
    return this.map.get(key);
  }
  get(key: string): number | undefined {
    return this.map.get(key);
  }
  /** lru.Cache.Get's side effect. */
  touch(key: string): void {
    const v = this.map.get(key);
    if (v === undefined) return;
    this.map.delete(key);
    this.map.set(key, v);
  }
  /** lru.Cache.Add. */
  add(key: string, value: number): void {
    if (this.map.delete(key)) this.map.set(key, value);
    else this.addAbsent(key, value);
  }
  /** `add` for a key known to be absent (one lookup fewer). */
  addAbsent(key: string, value: number): void {
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.evictOldest();
  }
  clone(): LruIndex {
    const c = new LruIndex(this.capacity);
    for (const [k, v] of this.map) c.map.set(k, v);
    return c;
  }
  private evictOldest(): void {
    // The map holds capacity + 1 > 0 entries, so the iterator (fresh or kept) has a next one.
    let next = this.oldest?.next();
    if (next === undefined || next.done === true) {
      this.oldest = this.map.keys();
      next = this.oldest.next();
    }
    this.map.delete(next.value as string);
  }
  entries(): MapIterator<[string, number]> {
    return this.map.entries();
  }
  keys(): MapIterator<string> {
    return this.map.keys();
  }
  values(): MapIterator<number> {
    return this.map.values();
  }
  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.map.entries();
  }
  forEach(cb: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [k, v] of this.map) cb(v, k, this);
  }
}

export interface OracleState {
  /** requestor name → index in allModes (tracker.ts), iterated least recently used first. */
  readonly modeIndex: LruIndex;
  /** Index 0–3: associated-node, arbitrary-node, serviceaccount, user-info (legacy has no cache). */
  readonly caches: readonly ModeCaches[];
  readonly taints: ReadonlyMap<string, Taint>;
}

export const MODE_INDEX_CAPACITY = 10_000;
/** "hardcode the same short TTL as used by TokenSuccessCacheTTL" (cache.go). */
export const CACHE_TTL_MS = 10_000;

export function emptyState(): OracleState {
  const caches: ModeCaches[] = [];
  for (let i = 0; i < 4; i++) caches.push({ outer: new TtlCache(), inner: new TtlCache() });
  return { modeIndex: new LruIndex(MODE_INDEX_CAPACITY), caches, taints: new Map() };
}

/** A deep-enough copy: new maps, shared immutable entries. */
export function cloneState(s: OracleState): OracleState {
  return {
    modeIndex: s.modeIndex.clone(),
    caches: s.caches.map((c) => ({ outer: c.outer.clone(), inner: c.inner.clone() })),
    taints: new Map(s.taints),
  };
}

type Layer = "outer" | "inner";

type Write =
  | { readonly op: "touch"; readonly name: string }
  | { readonly op: "add"; readonly name: string; readonly idx: number }
  | { readonly op: "cache"; readonly mode: number; readonly layer: Layer; readonly name: string; readonly entry: CacheEntry }
  | { readonly op: "taint"; readonly name: string; readonly taint: Taint };

/**
 * How one prediction reads and writes the state. Reads see the state as it was before the request:
 * within one request no read depends on a write of the same request (upstream writes a cache or the
 * mode index only right before returning success), so writes are queued and applied by `commit()`.
 * That lets the oracle re-run the same request under other Go map orders (order.ts) on an untouched
 * state and commit the primary run's writes afterwards; a re-run simply never commits. `copyOnWrite`
 * gives the functional form: the first write to a map replaces it by a copy, leaving the input intact.
 */
export class StateAccess {
  private state: {
    modeIndex: LruIndex;
    caches: { outer: TtlCache; inner: TtlCache }[];
    taints: Map<string, Taint>;
  };
  /** Copy-on-write only: the maps this access already copied (and may write in place). */
  private readonly owned: Set<object> | undefined;
  // Queued writes as data, not closures: this is the hot path and closures cost (tsx's keepNames wraps each).
  // Made on the first write with room for four (a request makes zero to three), filled by index.
  private pending: Write[] | undefined;
  private pendingCount = 0;
  /** The name this access's mode-index lookup did not find. */
  private absentFromModeIndex: string | undefined;

  constructor(
    state: OracleState,
    readonly now: number,
    copyOnWrite: boolean,
  ) {
    this.state = state as StateAccess["state"];
    if (copyOnWrite) {
      this.state = { modeIndex: this.state.modeIndex, caches: [...this.state.caches], taints: this.state.taints };
      this.owned = new Set();
    }
  }

  /** The state after `commit()` (the input object itself unless copy-on-write). */
  get result(): OracleState {
    return this.state;
  }

  /** Apply the queued writes in order. */
  commit(): void {
    const writes = this.pending;
    const count = this.pendingCount;
    this.pending = undefined;
    this.pendingCount = 0;
    for (let i = 0; i < count; i++) {
      const w = writes![i]!;
      if (w.op === "touch") this.modeIndexLru().touch(w.name);
      // Nothing but this request's own writes happen before commit: a name its lookup missed is still absent.
      else if (w.op === "add") {
        if (w.name === this.absentFromModeIndex) this.modeIndexLru().addAbsent(w.name, w.idx);
        else this.modeIndexLru().add(w.name, w.idx);
      }
      else if (w.op === "cache") this.applyCacheSet(w.mode, w.layer, w.name, w.entry);
      else this.applyTaint(w.name, w.taint);
    }
  }

  private queue(w: Write): void {
    if (this.pending === undefined) this.pending = [w, w, w, w];
    this.pending[this.pendingCount++] = w;
  }

  private modeIndexLru(): LruIndex {
    const m = this.state.modeIndex;
    if (this.owned === undefined || this.owned.has(m)) return m;
    const copy = m.clone();
    this.owned.add(copy);
    this.state.modeIndex = copy;
    return copy;
  }

  /** lru.Cache.Get: a hit makes the entry most recently used. */
  modeIndexGet(name: string): number | undefined {
    const idx = this.state.modeIndex.peek(name);
    if (idx !== undefined) this.queue({ op: "touch", name });
    else this.absentFromModeIndex = name;
    return idx;
  }

  /** lru.Cache.Add: insert or refresh as most recently used; evict the least recently used beyond capacity. */
  modeIndexSet(name: string, idx: number): void {
    this.queue({ op: "add", name, idx });
  }

  /** The requestor's entries in one cache (`TtlCache.entriesOf`), or undefined: then nothing can hit. */
  cacheEntriesOf(mode: number, layer: Layer, name: string): NameEntries | undefined {
    const pair = this.state.caches[mode]!;
    return (layer === "outer" ? pair.outer : pair.inner).entriesOf(name);
  }

  /** cache.Expiring.Get: valid iff now is before insertion + 10 s (at exactly 10 s it has expired). */
  cacheFind(mode: number, layer: Layer, entries: NameEntries, k1: string, k2: string, wanted: UserInfo, requestor: UserInfo): CacheEntry | undefined {
    const pair = this.state.caches[mode]!;
    return (layer === "outer" ? pair.outer : pair.inner).find(entries, k1, k2, wanted, requestor, this.now);
  }

  /** Queue storing `entry` (from `cacheEntry`) under `name`. */
  cacheSet(mode: number, layer: Layer, name: string, entry: CacheEntry): void {
    this.queue({ op: "cache", mode, layer, name, entry });
  }

  private applyCacheSet(mode: number, layer: Layer, name: string, entry: CacheEntry): void {
    let pair = this.state.caches[mode]!;
    if (this.owned !== undefined && !this.owned.has(pair)) {
      pair = { outer: pair.outer, inner: pair.inner };
      this.owned.add(pair);
      this.state.caches[mode] = pair;
    }
    // The layer by a comparison, not `pair[layer]`: a keyed access by a varying name is a slow lookup.
    const outer = layer === "outer";
    let c = outer ? pair.outer : pair.inner;
    if (this.owned !== undefined && !this.owned.has(c)) {
      c = c.clone();
      this.owned.add(c);
      if (outer) pair.outer = c;
      else pair.inner = c;
    }
    c.set(name, entry, this.now);
  }

  taintOf(name: string): Taint | undefined {
    if (this.state.taints.size === 0) return undefined; // the usual case: no lookup at all
    const t = this.state.taints.get(name);
    return t !== undefined && this.now < t.until ? t : undefined;
  }

  taint(name: string, taint: Taint): void {
    this.queue({ op: "taint", name, taint });
  }

  private applyTaint(name: string, taint: Taint): void {
    let m = this.state.taints;
    if (this.owned !== undefined && !this.owned.has(m)) {
      m = new Map(m);
      this.owned.add(m);
      this.state.taints = m;
    }
    const old = m.get(name);
    m.set(name, old && old.until > taint.until ? old : taint);
  }
}

