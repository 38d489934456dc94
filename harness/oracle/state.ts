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

/** One successful result in an outer or inner cache. `user` is Go strings; the key parts are kept for inspection. */
export interface CacheEntry {
  readonly user: UserInfo;
  readonly constraint: Constraint;
  readonly insertedAt: number;
  readonly wanted: UserInfo;
  readonly requestor: UserInfo;
  /** Outer entries only: the request the key was made from (§7c). */
  readonly request?: FilterRequest;
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
  private byName = new Map<string, Slot | Map<string, Map<string, Chain>>>();
  private count = 0;
  private pruneAt = 4096;
  /** Insertion sequence: a key's first insertion fixes its place in `values()`. */
  private seq = 0;

  /** Entries held, expired ones not yet pruned included. */
  get size(): number {
    return this.count;
  }

  /** Whether `name` has any entry (possibly expired): without one, no lookup for it needs a key. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string, k1: string, k2: string, wanted: UserInfo, requestor: UserInfo, now: number): CacheEntry | undefined {
    const s = this.byName.get(name);
    if (s === undefined) return undefined;
    let slot: Slot | undefined;
    if (s instanceof Map) slot = inChain(s.get(k1)?.get(k2), wanted, requestor);
    else if (s.k1 === k1 && s.k2 === k2 && matches(s, wanted, requestor)) slot = s;
    return slot !== undefined && now < slot.entry.insertedAt + CACHE_TTL_MS ? slot.entry : undefined;
  }

  set(name: string, k1: string, k2: string, entry: CacheEntry, now: number): void {
    const s = this.byName.get(name);
    if (s === undefined) {
      this.byName.set(name, { k1, k2, entry, seq: this.seq++ });
      this.count++;
    } else if (!(s instanceof Map) && s.k1 === k1 && s.k2 === k2 && matches(s, entry.wanted, entry.requestor)) {
      this.byName.set(name, { k1, k2, entry, seq: s.seq });
    } else {
      let m: Map<string, Map<string, Chain>>;
      if (s instanceof Map) m = s;
      else {
        m = new Map([[s.k1, new Map([[s.k2, s]])]]);
        this.byName.set(name, m);
      }
      let byK2 = m.get(k1);
      if (byK2 === undefined) m.set(k1, (byK2 = new Map()));
      const chain = byK2.get(k2);
      if (chain === undefined) {
        byK2.set(k2, { k1, k2, entry, seq: this.seq++ });
        this.count++;
      } else {
        const slots = Array.isArray(chain) ? chain : [chain];
        const i = indexInChain(slots, entry.wanted, entry.requestor);
        if (i >= 0) slots[i] = { k1, k2, entry, seq: slots[i]!.seq };
        else {
          slots.push({ k1, k2, entry, seq: this.seq++ });
          this.count++;
        }
        byK2.set(k2, slots.length === 1 ? slots[0]! : slots);
      }
    }
    if (this.count >= this.pruneAt) this.prune(now);
  }

  *values(): IterableIterator<CacheEntry> {
    for (const s of this.byName.values()) {
      if (!(s instanceof Map)) {
        yield s.entry;
        continue;
      }
      const slots: Slot[] = [];
      for (const byK2 of s.values()) for (const chain of byK2.values()) pushChain(slots, chain);
      slots.sort((a, b) => a.seq - b.seq);
      for (const slot of slots) yield slot.entry;
    }
  }

  clone(): TtlCache {
    const c = new TtlCache();
    for (const [name, s] of this.byName) {
      if (!(s instanceof Map)) c.byName.set(name, s);
      else {
        const m = new Map<string, Map<string, Chain>>();
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
    const live = new Map<string, Slot | Map<string, Map<string, Chain>>>();
    let count = 0;
    const alive = (slot: Slot): boolean => now < slot.entry.insertedAt + CACHE_TTL_MS;
    for (const [name, s] of this.byName) {
      if (!(s instanceof Map)) {
        if (alive(s)) {
          live.set(name, s);
          count++;
        }
        continue;
      }
      let keep: Map<string, Map<string, Chain>> | undefined;
      for (const [k1, byK2] of s) {
        let keep2: Map<string, Chain> | undefined;
        for (const [k2, chain] of byK2) {
          const slots: Slot[] = [];
          pushChain(slots, chain);
          const alive2 = slots.filter(alive);
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

/** Entries under one (name, k1, k2): usually one, several only when their users differ. */
type Chain = Slot | Slot[];

function pushChain(out: Slot[], chain: Chain): void {
  if (Array.isArray(chain)) out.push(...chain);
  else out.push(chain);
}

function inChain(chain: Chain | undefined, wanted: UserInfo, requestor: UserInfo): Slot | undefined {
  if (chain === undefined) return undefined;
  if (!Array.isArray(chain)) return matches(chain, wanted, requestor) ? chain : undefined;
  for (const slot of chain) if (matches(slot, wanted, requestor)) return slot;
  return undefined;
}

// A loop, not findIndex with a closure: a closure over `entry` would cost `set` a context allocation
// on every call (V8 makes a function's context on entry), and `set` runs for every cache write.
function indexInChain(slots: readonly Slot[], wanted: UserInfo, requestor: UserInfo): number {
  for (let i = 0; i < slots.length; i++) if (matches(slots[i]!, wanted, requestor)) return i;
  return -1;
}

function matches(slot: Slot, wanted: UserInfo, requestor: UserInfo): boolean {
  return sameUser(slot.entry.wanted, wanted) && sameUser(slot.entry.requestor, requestor);
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

interface Slot {
  readonly k1: string;
  readonly k2: string;
  readonly entry: CacheEntry;
  readonly seq: number;
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
 * capacity) with O(1) operations: a Map to doubly linked nodes. (A plain Map used as a queue degrades:
 * V8 keeps deleted slots until a rehash, so `keys().next()` after many front deletions is O(n).)
 * Iteration is least recently used first.
 */
export class LruIndex implements ReadonlyMap<string, number> {
  private readonly nodes = new Map<string, LruNode>();
  private head: LruNode | null = null; // least recent
  private tail: LruNode | null = null; // most recent

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.nodes.size;
  }
  has(key: string): boolean {
    return this.nodes.has(key);
  }
  /** Read without touching (what a snapshot or a read-only re-run may do). */
  peek(key: string): number | undefined {
    return this.nodes.get(key)?.value;
  }
  get(key: string): number | undefined {
    return this.peek(key);
  }
  /** lru.Cache.Get's side effect. */
  touch(key: string): void {
    const n = this.nodes.get(key);
    if (n) this.moveToTail(n);
  }
  /** lru.Cache.Add. */
  add(key: string, value: number): void {
    const n = this.nodes.get(key);
    if (n) {
      n.value = value;
      this.moveToTail(n);
      return;
    }
    this.addAbsent(key, value);
  }
  /** `add` for a key known to be absent (one lookup fewer). */
  addAbsent(key: string, value: number): void {
    const node: LruNode = { key, value, prev: this.tail, next: null };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.nodes.set(key, node);
    if (this.nodes.size > this.capacity && this.head) this.remove(this.head);
  }
  clone(): LruIndex {
    const c = new LruIndex(this.capacity);
    for (const [k, v] of this) c.add(k, v);
    return c;
  }
  private remove(n: LruNode): void {
    if (n.prev) n.prev.next = n.next;
    else this.head = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.tail = n.prev;
    this.nodes.delete(n.key);
  }
  private moveToTail(n: LruNode): void {
    if (this.tail === n) return;
    if (n.prev) n.prev.next = n.next;
    else this.head = n.next;
    n.next!.prev = n.prev;
    n.prev = this.tail;
    n.next = null;
    this.tail!.next = n;
    this.tail = n;
  }
  *entries(): MapIterator<[string, number]> {
    for (let n = this.head; n; n = n.next) yield [n.key, n.value];
  }
  *keys(): MapIterator<string> {
    for (let n = this.head; n; n = n.next) yield n.key;
  }
  *values(): MapIterator<number> {
    for (let n = this.head; n; n = n.next) yield n.value;
  }
  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
  forEach(cb: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [k, v] of this) cb(v, k, this);
  }
}

interface LruNode {
  readonly key: string;
  value: number;
  prev: LruNode | null;
  next: LruNode | null;
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
  | { readonly op: "cache"; readonly mode: number; readonly layer: Layer; readonly name: string; readonly k1: string; readonly k2: string; readonly entry: CacheEntry }
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
      else if (w.op === "cache") this.applyCacheSet(w.mode, w.layer, w.name, w.k1, w.k2, w.entry);
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

  /** cache.Expiring.Get: valid iff now is before insertion + 10 s (at exactly 10 s it has expired). */
  cacheGet(mode: number, layer: Layer, name: string, k1: string, k2: string, wanted: UserInfo, requestor: UserInfo): CacheEntry | undefined {
    const pair = this.state.caches[mode]!;
    return (layer === "outer" ? pair.outer : pair.inner).get(name, k1, k2, wanted, requestor, this.now);
  }

  cacheHas(mode: number, layer: Layer, name: string): boolean {
    const pair = this.state.caches[mode]!;
    return (layer === "outer" ? pair.outer : pair.inner).has(name);
  }

  cacheSet(mode: number, layer: Layer, name: string, k1: string, k2: string, entry: CacheEntry): void {
    this.queue({ op: "cache", mode, layer, name, k1, k2, entry });
  }

  private applyCacheSet(mode: number, layer: Layer, name: string, k1: string, k2: string, entry: CacheEntry): void {
    let pair = this.state.caches[mode]!;
    if (this.owned !== undefined && !this.owned.has(pair)) {
      pair = { outer: pair.outer, inner: pair.inner };
      this.owned.add(pair);
      this.state.caches[mode] = pair;
    }
    let c = pair[layer];
    if (this.owned !== undefined && !this.owned.has(c)) {
      c = c.clone();
      this.owned.add(c);
      pair[layer] = c;
    }
    c.set(name, k1, k2, entry, this.now);
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

