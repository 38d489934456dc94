/**
 * The per-process state of the impersonation filter (SPEC §7 "State kept per kube-apiserver process"),
 * as one explicit, cloneable value: the mode index (tracker.ts) and, per constrained mode, the outer and
 * inner TTL caches (caches.ts). Never global: every oracle owns one; snapshots and the functional form
 * copy it.
 *
 * Layout: one record per requestor name holds everything the server keeps for that name — its mode-index
 * value and recency links, and its entries in each of the eight caches. Upstream keeps nine structures
 * (the LRU and eight caches), each keyed by (a hash of) the requestor name; one request of one requestor
 * reads up to five of them. Here a request costs one lookup of its requestor's name, made on first use
 * and shared by every read and write of the request; a fresh requestor (most requests of a fuzz run)
 * costs that one miss and, if it succeeds, one insertion. The views below (`modeIndex`, `caches`) give
 * the upstream shape back for tests and reports.
 *
 * `taints` is the oracle's own bookkeeping, not the server's: requestor names whose server-side state the
 * oracle cannot know exactly (an earlier check the authorizer model could not decide, or cache keys that
 * depended on Go map order). Predictions for a tainted requestor say so instead of guessing.
 */
import { sameUser, type Constraint, type UserInfo } from "../core/index.ts";
import { ExpiryQueue } from "./expiry-queue.ts";
import type { FilterRequest } from "./types.ts";

/**
 * One successful result in an outer or inner cache. `user` is Go strings. `k1`/`k2` are the key parts the
 * entry is filed under below the requestor name (see `findEntry`). The entry is the one object a cache keeps
 * per result: cache entries live 10 s, long enough to be copied by every young-generation GC until
 * promoted, so each object kept per success costs far more than its allocation.
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

/** An entry as the state holds it: plus the insertion sequence of its key (set once, when it is stored). */
interface Stored extends CacheEntry {
  seq: number;
}

/** A new entry for a cache write (one shape per layer: inner entries have no `request`). */
export function cacheEntry(
  user: UserInfo, constraint: Constraint, insertedAt: number, wanted: UserInfo, requestor: UserInfo, k1: string, k2: string, request?: FilterRequest,
): CacheEntry {
  const e: Stored = request === undefined
    ? { user, constraint, insertedAt, wanted, requestor, k1, k2, seq: 0 }
    : { user, constraint, insertedAt, wanted, requestor, request, k1, k2, seq: 0 };
  return e;
}

export const MODE_INDEX_CAPACITY = 10_000;
/** "hardcode the same short TTL as used by TokenSuccessCacheTTL" (cache.go). */
export const CACHE_TTL_MS = 10_000;

export type Layer = "outer" | "inner";

/** Outer and inner cache of each of the four constrained modes (allModes indexes 0–3). */
const CACHE_COUNT = 8;
const cacheIndex = (mode: number, layer: Layer): number => 2 * mode + (layer === "outer" ? 0 : 1);

/** Entries under one (name, k1, k2): usually one, several only when their users differ. */
type Chain = Stored | Stored[];
type ByKey = Map<string, Map<string, Chain>>;
/** One name's entries in one cache: none, its only entry (no Map allocated), or by k1, then k2. */
type Slot = Stored | ByKey | undefined;

/** What `StateAccess.cacheEntriesOf` hands out: opaque to callers. */
export type NameEntries = object;

/**
 * Everything kept for one requestor name. The eight cache slots are fields rather than an array so a
 * record is one object: records of successful requestors live for 10 s or more.
 */
interface NameRecord {
  readonly name: string;
  /** The allModes index of the mode that last succeeded; -1 when the name is not in the mode index. */
  modeIndex: number;
  /** Mode-index recency: the next less and more recently used names (while `modeIndex >= 0`). */
  older: NameRecord | undefined;
  newer: NameRecord | undefined;
  c0: Slot;
  c1: Slot;
  c2: Slot;
  c3: Slot;
  c4: Slot;
  c5: Slot;
  c6: Slot;
  c7: Slot;
  /** The requestor of the name's last committed request (see StateAccess.canonicalRequestor). */
  requestor: UserInfo | undefined;
}

/**
 * A new record, as an object literal rather than a class instance: V8 tracks the survival of a
 * literal's allocation site and, once most of its objects outlive a young-generation collection (as
 * records do: a fresh requestor's lives for thousands of requests), allocates them in the old
 * generation directly instead of copying each one twice. A `new` has no allocation site.
 */
function newNameRecord(name: string): NameRecord {
  return {
    name, modeIndex: -1, older: undefined, newer: undefined,
    c0: undefined, c1: undefined, c2: undefined, c3: undefined, c4: undefined, c5: undefined, c6: undefined, c7: undefined,
    requestor: undefined,
  };
}

function slotOf(r: NameRecord, i: number): Slot {
  switch (i) {
    case 0: return r.c0;
    case 1: return r.c1;
    case 2: return r.c2;
    case 3: return r.c3;
    case 4: return r.c4;
    case 5: return r.c5;
    case 6: return r.c6;
    default: return r.c7;
  }
}

function setSlot(r: NameRecord, i: number, s: Slot): void {
  switch (i) {
    case 0: r.c0 = s; break;
    case 1: r.c1 = s; break;
    case 2: r.c2 = s; break;
    case 3: r.c3 = s; break;
    case 4: r.c4 = s; break;
    case 5: r.c5 = s; break;
    case 6: r.c6 = s; break;
    default: r.c7 = s;
  }
}

function holdsEntries(r: NameRecord): boolean {
  return r.c0 !== undefined || r.c1 !== undefined || r.c2 !== undefined || r.c3 !== undefined ||
    r.c4 !== undefined || r.c5 !== undefined || r.c6 !== undefined || r.c7 !== undefined;
}

function pushChain(out: Stored[], chain: Chain): void {
  if (Array.isArray(chain)) out.push(...chain);
  else out.push(chain);
}

function pushSlot(out: Stored[], s: Slot): void {
  if (s === undefined) return;
  if (!(s instanceof Map)) {
    out.push(s);
    return;
  }
  for (const byK2 of s.values()) for (const chain of byK2.values()) pushChain(out, chain);
}

function copySlot(s: Slot): Slot {
  if (!(s instanceof Map)) return s;
  const m: ByKey = new Map();
  for (const [k1, byK2] of s) {
    const copy = new Map<string, Chain>();
    for (const [k2, chain] of byK2) copy.set(k2, Array.isArray(chain) ? [...chain] : chain);
    m.set(k1, copy);
  }
  return m;
}

function inChain(chain: Chain | undefined, wanted: UserInfo, requestor: UserInfo): Stored | undefined {
  if (chain === undefined) return undefined;
  if (!Array.isArray(chain)) return matches(chain, wanted, requestor) ? chain : undefined;
  for (const e of chain) if (matches(e, wanted, requestor)) return e;
  return undefined;
}

// A loop, not findIndex with a closure: a closure over `entry` would cost a context allocation on every
// call (V8 makes a function's context on entry), and this runs for cache writes.
function indexInChain(list: readonly Stored[], wanted: UserInfo, requestor: UserInfo): number {
  for (let i = 0; i < list.length; i++) if (matches(list[i]!, wanted, requestor)) return i;
  return -1;
}

function matches(e: CacheEntry, wanted: UserInfo, requestor: UserInfo): boolean {
  return sameUser(e.wanted, wanted) && sameUser(e.requestor, requestor);
}

const isLive = (e: CacheEntry, now: number): boolean => now < e.insertedAt + CACHE_TTL_MS;

/**
 * cache.Expiring.Get on one name's entries of one cache: the entry for (k1, k2, wanted, requestor) if it
 * is still valid (now before insertion + 10 s; at exactly 10 s it has expired). Entries are found by two
 * strings, `k1` (the wanted user's name) and `k2` (the request's key; in inner caches the wanted uid, a
 * mere partition: any function of the users would do), then by their users themselves (`sameUser`):
 * exactly the equality upstream's key encodes, with no key string built or hashed.
 */
function findEntry(s: Slot, k1: string, k2: string, wanted: UserInfo, requestor: UserInfo, now: number): CacheEntry | undefined {
  let e: Stored | undefined;
  if (s === undefined) return undefined;
  if (s instanceof Map) e = inChain(s.get(k1)?.get(k2), wanted, requestor);
  else if (s.k1 === k1 && s.k2 === k2 && matches(s, wanted, requestor)) e = s;
  return e !== undefined && isLive(e, now) ? e : undefined;
}

/** Whether cache `i` of `r` holds `e` itself (not a later entry under the same key). */
function holdsEntry(r: NameRecord, i: number, e: Stored): boolean {
  const s = slotOf(r, i);
  if (s === e) return true;
  if (!(s instanceof Map)) return false;
  const chain = s.get(e.k1)?.get(e.k2);
  return chain === e || (Array.isArray(chain) && chain.includes(e));
}

/** Take `e` itself out of cache `i` of `r`, dropping the maps that leaves empty; false when `e` is not held there. */
function removeEntry(r: NameRecord, i: number, e: Stored): boolean {
  const s = slotOf(r, i);
  if (s === e) {
    setSlot(r, i, undefined);
    return true;
  }
  if (!(s instanceof Map)) return false;
  const byK2 = s.get(e.k1);
  const chain = byK2?.get(e.k2);
  if (chain === e) byK2!.delete(e.k2);
  else if (Array.isArray(chain) && chain.includes(e)) {
    const rest = chain.filter((x) => x !== e);
    byK2!.set(e.k2, rest.length === 1 ? rest[0]! : rest);
    return true;
  } else return false;
  if (byK2!.size === 0) s.delete(e.k1);
  if (s.size === 0) setSlot(r, i, undefined);
  return true;
}

/** A cache as tests and reports read it: the entries held (expired ones not yet dropped included). */
export interface CacheView {
  readonly size: number;
  /** In the insertion order of their keys (a replaced entry keeps its key's place). */
  values(): IterableIterator<CacheEntry>;
}

export interface ModeCaches {
  readonly outer: CacheView;
  readonly inner: CacheView;
}

export interface Taint {
  /** Clock time (ms) after which the taint no longer applies; Infinity for mode-index effects. */
  readonly until: number;
  readonly reason: string;
}

/** The state as callers read it (values come from `emptyState`, `cloneState`, `forgetModeIndex` or a prediction). */
export interface OracleState {
  /** requestor name → index in allModes (tracker.ts), iterated least recently used first. */
  readonly modeIndex: ReadonlyMap<string, number>;
  /** Index 0–3: associated-node, arbitrary-node, serviceaccount, user-info (legacy has no cache). */
  readonly caches: readonly ModeCaches[];
  readonly taints: ReadonlyMap<string, Taint>;
}

/**
 * The state itself. Mode index: k8s.io/utils/lru semantics (Add and Get make a name most recent; beyond
 * the capacity the least recent is evicted) as a doubly linked list through the records, so a hit or an
 * insertion moves two pointers and allocates nothing. Caches: util/cache.Expiring semantics, entries
 * valid for exactly 10 s from insertion and never refreshed. Every stored entry also joins a queue in
 * insertion order; since all live exactly 10 s, the expired ones are at its head, and once the queue is
 * long enough each write drops them from there (`expire`). An expired entry never answers, so when it
 * goes is not observable. A record goes when it holds no entry and its name is not in the mode index.
 */
class FilterState implements OracleState {
  private readonly records = new Map<string, NameRecord>();
  private oldest: NameRecord | undefined = undefined;
  private newest: NameRecord | undefined = undefined;
  private indexed = 0;
  readonly taintMap = new Map<string, Taint>();
  /** Entries held per cache, and in all. */
  private readonly held: number[] = new Array<number>(CACHE_COUNT).fill(0);
  private heldTotal = 0;
  /** Every entry stored, with its record and cache, in write order: see `expire`. */
  private queue = new ExpiryQueue<Stored, NameRecord>();
  /** Insertion sequence: a key's first insertion fixes its place in a cache's `values()`. */
  private seq = 0;

  constructor(
    readonly capacity: number,
    private readonly expireFrom: number,
  ) {}

  recordOf(name: string): NameRecord | undefined {
    return this.records.get(name);
  }

  create(name: string): NameRecord {
    const r = newNameRecord(name);
    this.records.set(name, r);
    return r;
  }

  /** lru.Cache.Get's side effect. */
  touch(r: NameRecord): void {
    if (r.modeIndex < 0 || r === this.newest) return;
    this.unlink(r);
    this.linkNewest(r);
  }

  /** lru.Cache.Add. */
  setModeIndex(r: NameRecord, idx: number): void {
    if (r.modeIndex >= 0) {
      r.modeIndex = idx;
      this.touch(r);
      return;
    }
    r.modeIndex = idx;
    this.linkNewest(r);
    this.indexed++;
    if (this.indexed > this.capacity) {
      const evicted = this.oldest!;
      this.unlink(evicted);
      evicted.modeIndex = -1;
      this.indexed--;
      if (!holdsEntries(evicted)) this.records.delete(evicted.name);
    }
  }

  private linkNewest(r: NameRecord): void {
    r.older = this.newest;
    r.newer = undefined;
    if (this.newest === undefined) this.oldest = r;
    else this.newest.newer = r;
    this.newest = r;
  }

  private unlink(r: NameRecord): void {
    if (r.older === undefined) this.oldest = r.newer;
    else r.older.newer = r.newer;
    if (r.newer === undefined) this.newest = r.older;
    else r.newer.older = r.older;
    r.older = undefined;
    r.newer = undefined;
  }

  /** Store `entry` (made by `cacheEntry`, stored nowhere else) in cache `i` of `r` under its own k1, k2. */
  setEntry(r: NameRecord, i: number, entry: CacheEntry, now: number): void {
    const e = entry as Stored;
    const { k1, k2 } = e;
    const s = slotOf(r, i);
    if (s === undefined) {
      e.seq = this.seq++;
      setSlot(r, i, e);
      this.added(i);
    } else if (!(s instanceof Map) && s.k1 === k1 && s.k2 === k2 && matches(s, e.wanted, e.requestor)) {
      e.seq = s.seq;
      setSlot(r, i, e);
    } else {
      let m: ByKey;
      if (s instanceof Map) m = s;
      else {
        m = new Map([[s.k1, new Map([[s.k2, s]])]]);
        setSlot(r, i, m);
      }
      let byK2 = m.get(k1);
      if (byK2 === undefined) m.set(k1, (byK2 = new Map()));
      const chain = byK2.get(k2);
      if (chain === undefined) {
        e.seq = this.seq++;
        byK2.set(k2, e);
        this.added(i);
      } else {
        const list = Array.isArray(chain) ? chain : [chain];
        const at = indexInChain(list, e.wanted, e.requestor);
        if (at >= 0) {
          e.seq = list[at]!.seq;
          list[at] = e;
        } else {
          e.seq = this.seq++;
          list.push(e);
          this.added(i);
        }
        byK2.set(k2, list.length === 1 ? list[0]! : list);
      }
    }
    this.queue.push(e, r, i);
    if (this.queue.size >= this.expireFrom) this.expire(now);
  }

  private added(i: number): void {
    this.held[i]!++;
    this.heldTotal++;
  }

  /**
   * Drop the expired entries at the head of the queue. Entries are queued as they are stored, with the
   * clock's time, so they expire in queue order. Were the clock ever to go back, a live head would hold
   * back expired entries behind it: they would still never answer, and would go with it.
   */
  private expire(now: number): void {
    const q = this.queue;
    for (let e = q.oldest(); e !== undefined && !isLive(e, now); e = q.oldest()) {
      const r = q.oldestHome();
      const i = q.oldestSlot();
      q.shift();
      if (!removeEntry(r, i, e)) continue; // replaced since
      this.held[i]!--;
      this.heldTotal--;
      if (r.modeIndex < 0 && !holdsEntries(r)) this.records.delete(r.name);
    }
    // While the clock stands still nothing expires and the head stays put, yet every write that replaces
    // an entry queues once more: once the queue is twice the entries held (plus `expireFrom`), it keeps
    // only the held ones.
    if (q.size >= 2 * this.heldTotal + this.expireFrom) this.queue = q.filtered((e, r, i) => (holdsEntry(r, i, e) ? r : undefined));
  }

  /** A copy sharing only the immutable entries. */
  clone(): FilterState {
    const c = new FilterState(this.capacity, this.expireFrom);
    const copies = new Map<NameRecord, NameRecord>();
    for (const r of this.records.values()) {
      const copy = c.create(r.name);
      copies.set(r, copy);
      copy.requestor = r.requestor;
      for (let i = 0; i < CACHE_COUNT; i++) setSlot(copy, i, copySlot(slotOf(r, i)));
    }
    c.queue = this.queue.filtered((e, r, i) => (holdsEntry(r, i, e) ? copies.get(r) : undefined));
    for (let r = this.oldest; r !== undefined; r = r.newer) {
      const copy = c.records.get(r.name)!;
      copy.modeIndex = r.modeIndex;
      c.linkNewest(copy);
    }
    c.indexed = this.indexed;
    for (const [name, t] of this.taintMap) c.taintMap.set(name, t);
    for (let i = 0; i < CACHE_COUNT; i++) c.held[i] = this.held[i]!;
    c.heldTotal = this.heldTotal;
    c.seq = this.seq;
    return c;
  }

  /** This state with an empty mode index (names that hold no cache entry are dropped). */
  withoutModeIndex(): FilterState {
    const c = this.clone();
    for (let r = c.oldest; r !== undefined; ) {
      const next = r.newer;
      r.modeIndex = -1;
      r.older = undefined;
      r.newer = undefined;
      if (!holdsEntries(r)) c.records.delete(r.name);
      r = next;
    }
    c.oldest = undefined;
    c.newest = undefined;
    c.indexed = 0;
    return c;
  }

  get modeIndex(): ReadonlyMap<string, number> {
    return new ModeIndexView(this);
  }

  get caches(): readonly ModeCaches[] {
    const out: ModeCaches[] = [];
    for (let mode = 0; mode < CACHE_COUNT / 2; mode++) {
      out.push({ outer: this.cacheView(cacheIndex(mode, "outer")), inner: this.cacheView(cacheIndex(mode, "inner")) });
    }
    return out;
  }

  get taints(): ReadonlyMap<string, Taint> {
    return this.taintMap;
  }

  /** The mode index, least recently used first. */
  *indexEntries(): IterableIterator<[string, number]> {
    for (let r = this.oldest; r !== undefined; r = r.newer) yield [r.name, r.modeIndex];
  }

  get indexSize(): number {
    return this.indexed;
  }

  private cacheView(i: number): CacheView {
    const records = this.records;
    return {
      size: this.held[i]!,
      values(): IterableIterator<CacheEntry> {
        const out: Stored[] = [];
        for (const r of records.values()) pushSlot(out, slotOf(r, i));
        return out.sort((a, b) => a.seq - b.seq).values();
      },
    };
  }
}

/** Queued entries from which `setEntry` starts expiring by default (below, a state never drops an entry). */
const EXPIRE_FROM = 4096;

/** `OracleState.modeIndex`: a read-only view, least recently used first; reading never touches. */
class ModeIndexView implements ReadonlyMap<string, number> {
  constructor(private readonly state: FilterState) {}
  get size(): number {
    return this.state.indexSize;
  }
  get(key: string): number | undefined {
    const r = this.state.recordOf(key);
    return r !== undefined && r.modeIndex >= 0 ? r.modeIndex : undefined;
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  entries(): MapIterator<[string, number]> {
    return this.state.indexEntries() as MapIterator<[string, number]>;
  }
  *keys(): MapIterator<string> {
    for (const [k] of this.state.indexEntries()) yield k;
  }
  *values(): MapIterator<number> {
    for (const [, v] of this.state.indexEntries()) yield v;
  }
  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
  forEach(cb: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [k, v] of this.state.indexEntries()) cb(v, k, this);
  }
}

function stateOf(s: OracleState): FilterState {
  if (!(s instanceof FilterState)) throw new Error("impfuzz oracle: an OracleState must come from emptyState, cloneState or a prediction");
  return s;
}

/** `expireFrom`: queued entries from which writes drop expired ones (tests make it small). */
export function emptyState(capacity = MODE_INDEX_CAPACITY, expireFrom = EXPIRE_FROM): OracleState {
  return new FilterState(capacity, expireFrom);
}

/** An independent copy (entries, which are immutable, are shared). */
export function cloneState(s: OracleState): OracleState {
  return stateOf(s).clone();
}

/** A copy of `s` whose mode index is empty, as after a restart of the LRU alone (model tests use it). */
export function forgetModeIndex(s: OracleState): OracleState {
  return stateOf(s).withoutModeIndex();
}

// A queued write is three slots of StateAccess's queue: an op, the requestor name and an argument (the
// mode index, the taint, or for CACHE_OP + i the entry for cache i). Slots rather than an object per
// write: a successful request queues three writes.
const TOUCH_OP = 0;
const ADD_OP = 1;
const TAINT_OP = 2;
const CACHE_OP = 8;

/**
 * How one prediction reads and writes the state. Reads see the state as it was before the request:
 * within one request no read depends on a write of the same request (upstream writes a cache or the
 * mode index only right before returning success), so writes are queued and applied by `commit()`.
 * That lets the oracle re-run the same request under other Go map orders (order.ts) on an untouched
 * state and commit the primary run's writes afterwards; a re-run simply never commits. `copyOnWrite`
 * gives the functional form: a commit with writes applies them to a copy, leaving the input intact.
 *
 * Every read of a request is about its requestor's name: the name's record is looked up once and kept.
 */
export class StateAccess {
  private state: FilterState;
  private readonly copyOnWrite: boolean;
  // Queued writes as data, not closures: this is the hot path and closures cost (tsx's keepNames wraps each).
  // Made on the first write with room for four (a request makes zero to three), filled by index.
  private pending: unknown[] | undefined;
  private pendingCount = 0;
  /** The last name looked up and its record (undefined: the name has none). */
  private name: string | undefined;
  private record: NameRecord | undefined;
  /** The requestor this request runs as (canonicalRequestor), kept by the records it writes. */
  private requestor: UserInfo | undefined;

  constructor(state: OracleState, readonly now: number, copyOnWrite: boolean) {
    // A cast, not stateOf's check: this runs for every request, and an instanceof there is a generic
    // property lookup. States only come from this module.
    this.state = state as FilterState;
    this.copyOnWrite = copyOnWrite;
  }

  /** The state after `commit()` (the input object itself unless copy-on-write). */
  get result(): OracleState {
    return this.state;
  }

  private recordOf(name: string): NameRecord | undefined {
    if (name !== this.name) {
      this.name = name;
      this.record = this.state.recordOf(name);
    }
    return this.record;
  }

  private writableRecord(name: string): NameRecord {
    let r = this.recordOf(name);
    if (r === undefined) this.record = r = this.state.create(name);
    if (this.requestor !== undefined && this.requestor.username === name) r.requestor = this.requestor;
    return r;
  }

  /**
   * `u`, or the requestor object the state kept for u's name when that one is equal to `u` (sameUser:
   * every field). Cache entries hold the requestor they were made for, so with one object per user a
   * lookup recognises its entries by identity. Unobservable otherwise: the two are equal values.
   */
  canonicalRequestor(u: UserInfo): UserInfo {
    const kept = this.recordOf(u.username)?.requestor;
    this.requestor = kept !== undefined && sameUser(kept, u) ? kept : u;
    return this.requestor;
  }

  /** Apply the queued writes in order. */
  commit(): void {
    const writes = this.pending;
    const count = this.pendingCount;
    if (count === 0) return;
    this.pending = undefined;
    this.pendingCount = 0;
    if (this.copyOnWrite) {
      this.state = this.state.clone();
      this.name = undefined;
      this.record = undefined;
    }
    for (let i = 0; i < count; i += 3) {
      const op = writes![i] as number;
      const name = writes![i + 1] as string;
      const arg = writes![i + 2];
      if (op === TOUCH_OP) {
        const r = this.recordOf(name);
        if (r !== undefined) this.state.touch(r);
      } else if (op === ADD_OP) this.state.setModeIndex(this.writableRecord(name), arg as number);
      else if (op === TAINT_OP) this.applyTaint(name, arg as Taint);
      else this.state.setEntry(this.writableRecord(name), op - CACHE_OP, arg as CacheEntry, this.now);
    }
    // Evictions and pruning may have dropped the kept record from the state.
    this.name = undefined;
    this.record = undefined;
  }

  private queue(op: number, name: string, arg: unknown): void {
    let q = this.pending;
    if (q === undefined) this.pending = q = [op, name, arg, op, name, arg, op, name, arg, op, name, arg];
    const at = this.pendingCount;
    q[at] = op;
    q[at + 1] = name;
    q[at + 2] = arg;
    this.pendingCount = at + 3;
  }

  /** lru.Cache.Get: a hit makes the entry most recently used. */
  modeIndexGet(name: string): number | undefined {
    const r = this.recordOf(name);
    if (r === undefined || r.modeIndex < 0) return undefined;
    this.queue(TOUCH_OP, name, 0);
    return r.modeIndex;
  }

  /** lru.Cache.Add: insert or refresh as most recently used; evict the least recently used beyond capacity. */
  modeIndexSet(name: string, idx: number): void {
    this.queue(ADD_OP, name, idx);
  }

  /** The requestor's entries in one cache, or undefined: then nothing can hit. */
  cacheEntriesOf(mode: number, layer: Layer, name: string): NameEntries | undefined {
    const r = this.recordOf(name);
    return r === undefined ? undefined : slotOf(r, cacheIndex(mode, layer));
  }

  /** cache.Expiring.Get on `entries` (from `cacheEntriesOf`). */
  cacheFind(entries: NameEntries, k1: string, k2: string, wanted: UserInfo, requestor: UserInfo): CacheEntry | undefined {
    return findEntry(entries as Slot, k1, k2, wanted, requestor, this.now);
  }

  /** Queue storing `entry` (from `cacheEntry`) under `name`. */
  cacheSet(mode: number, layer: Layer, name: string, entry: CacheEntry): void {
    this.queue(CACHE_OP + cacheIndex(mode, layer), name, entry);
  }

  taintOf(name: string): Taint | undefined {
    const taints = this.state.taintMap;
    if (taints.size === 0) return undefined; // the usual case: no lookup at all
    const t = taints.get(name);
    return t !== undefined && this.now < t.until ? t : undefined;
  }

  taint(name: string, taint: Taint): void {
    this.queue(TAINT_OP, name, taint);
  }

  private applyTaint(name: string, taint: Taint): void {
    const m = this.state.taintMap;
    const old = m.get(name);
    m.set(name, old && old.until > taint.until ? old : taint);
  }
}
