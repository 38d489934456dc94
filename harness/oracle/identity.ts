/**
 * SPEC §9 User info carried by the impersonated request, and §4's R' for associated-node.
 *
 * Inside the oracle a user is core's UserInfo holding Go strings (go-text.ts); `visibleUser` converts it
 * to what clients see. Group rules (mode.go `impersonationModeState.check`, impersonation.go for gate
 * off, identical in effect): for `system:anonymous` append `system:unauthenticated` if absent; for any
 * other name append `system:authenticated` unless `system:unauthenticated` or `system:authenticated` is
 * already there.
 */
import {
  ASSOCIATED_NODE_KEYS_EXTRA,
  SYSTEM_ANONYMOUS,
  SYSTEM_AUTHENTICATED,
  SYSTEM_NODES,
  SYSTEM_UNAUTHENTICATED,
  sameStrings,
  type UserInfo,
} from "../core/index.ts";
import { compareGo, hasEscape, visible } from "./go-text.ts";
import type { ExtraEntry, WantedUser } from "./headers.ts";
import { hasString } from "./string-list.ts";

/** serviceaccount.MakeGroupNames. */
export function serviceAccountGroups(namespace: string): string[] {
  return ["system:serviceaccounts", `system:serviceaccounts:${namespace}`];
}

/** Constrained node impersonation fixes the groups to [system:nodes] (mode.go authorizeUsername). */
export const NODE_GROUPS: readonly string[] = [SYSTEM_NODES];

// Resulting users are kept by the cache entries of every success for 10 s, long enough to be copied by
// each young-generation GC until promoted: the group lists most of them end with are shared arrays
// instead of a copy per user. Shared values are readonly by type, not frozen: a frozen array has its
// own elements kind, and element reads that meet it besides ordinary arrays are no longer inlined.
const AUTHENTICATED_ONLY: readonly string[] = [SYSTEM_AUTHENTICATED];
const UNAUTHENTICATED_ONLY: readonly string[] = [SYSTEM_UNAUTHENTICATED];
const NODE_FINAL_GROUPS: readonly string[] = [SYSTEM_NODES, SYSTEM_AUTHENTICATED];
/** serviceAccountGroups(ns) of the constrained modes → its final groups, both shared; bounded. */
const saGroups = new Map<string, readonly string[]>();
const saFinalGroups = new Map<readonly string[], readonly string[]>();
/** Every shared final group list: resulting users with one of these can be shared too (`plainUser`). */
const sharedGroupLists = new Set<readonly string[]>([AUTHENTICATED_ONLY, UNAUTHENTICATED_ONLY, NODE_FINAL_GROUPS]);

/** serviceAccountGroups as a shared array, for callers that never modify the list. */
export function sharedServiceAccountGroups(namespace: string): readonly string[] {
  let g = saGroups.get(namespace);
  if (g === undefined) {
    if (saGroups.size >= 4096) {
      for (const final of saFinalGroups.values()) sharedGroupLists.delete(final);
      saGroups.clear();
      saFinalGroups.clear();
    }
    g = serviceAccountGroups(namespace);
    const final = [...g, SYSTEM_AUTHENTICATED];
    saGroups.set(namespace, g);
    saFinalGroups.set(g, final);
    sharedGroupLists.add(final);
  }
  return g;
}

/** The final group rule (ensureGroup calls), returning the same array when nothing is added. */
export function finalGroups(name: string, groups: readonly string[]): readonly string[] {
  if (name === SYSTEM_ANONYMOUS) {
    if (groups.length === 0) return UNAUTHENTICATED_ONLY;
    return hasString(groups, SYSTEM_UNAUTHENTICATED) ? groups : [...groups, SYSTEM_UNAUTHENTICATED];
  }
  if (groups.length === 0) return AUTHENTICATED_ONLY;
  if (groups === NODE_GROUPS) return NODE_FINAL_GROUPS;
  const sa = saFinalGroups.get(groups);
  if (sa !== undefined) return sa;
  if (hasString(groups, SYSTEM_UNAUTHENTICATED) || hasString(groups, SYSTEM_AUTHENTICATED)) return groups;
  return [...groups, SYSTEM_AUTHENTICATED];
}

/** No extras: one shared value rather than a fresh {} per user (readonly by type, see AUTHENTICATED_ONLY). */
const NO_EXTRA: Readonly<Record<string, readonly string[]>> = {};

/** `o[k] = v` that also works for the key `__proto__` (extra keys are attacker-chosen text). */
export function setOwn<T>(o: Record<string, T>, k: string, v: T): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

export function extraRecord(extra: readonly ExtraEntry[] | null): Readonly<Record<string, readonly string[]>> {
  if (!extra || extra.length === 0) return NO_EXTRA;
  const out: Record<string, readonly string[]> = {};
  for (const e of extra) setOwn(out, e.key, e.values);
  return out;
}

let wantedMemo: [WantedUser | null, UserInfo | null] = [null, null];
const NO_GROUPS: readonly string[] = [];

/**
 * The wanted user as a user, for the caches only (keys and the `wanted` of entries, never a prediction);
 * the same object for the same WantedUser. Kept by every cache entry, so "no groups" and "no extras" are
 * one shared value each rather than a fresh [] and {} per entry.
 */
export function wantedAsUser(w: WantedUser): UserInfo {
  if (w.uid === "" && w.groups === null && (w.extra === null || w.extra.length === 0)) return plainUser(plainWanted, w.name, NO_GROUPS);
  if (w === wantedMemo[0]) return wantedMemo[1]!;
  const u = {
    username: w.name,
    uid: w.uid,
    groups: w.groups ?? NO_GROUPS,
    extra: w.extra === null || w.extra.length === 0 ? NO_EXTRA : extraRecord(w.extra),
  };
  wantedMemo = [w, u];
  return u;
}

/** The resulting user: `actualUser := *wantedUser` with groups decided by the mode, then the final rule. */
export function resultingUser(wanted: WantedUser, groups: readonly string[]): UserInfo {
  const final = finalGroups(wanted.name, groups);
  if (wanted.uid === "" && (wanted.extra === null || wanted.extra.length === 0) && sharedGroupLists.has(final)) {
    return plainUser(plainResulting, wanted.name, final);
  }
  return { username: wanted.name, uid: wanted.uid, groups: final, extra: extraRecord(wanted.extra) };
}

/**
 * Users made of a name and shared parts only (no uid, no extras, a shared group list): one object
 * per name instead of one per request, since most wanted and resulting users are of this kind and cache
 * entries keep them for 10 s. A stored user is reused only when it is exactly the one that would be
 * built (same name, same group list); otherwise it is replaced. Users are immutable values here, so
 * sharing one is unobservable. Bounded: a table is emptied when full.
 */
const plainWanted = new Map<string, UserInfo>();
const plainResulting = new Map<string, UserInfo>();
const PLAIN_USERS_MAX = 8192;

function plainUser(table: Map<string, UserInfo>, name: string, groups: readonly string[]): UserInfo {
  const known = table.get(name);
  if (known !== undefined && known.groups === groups) return known;
  if (table.size >= PLAIN_USERS_MAX) table.clear();
  const u: UserInfo = { username: name, uid: "", groups, extra: NO_EXTRA };
  table.set(name, u);
  return u;
}

/**
 * R' (mode.go associatedNodeImpersonationRequestorUserInfo): name, uid and groups of R, extras replaced
 * by one key listing R's extra keys sorted (sets.StringKeySet(...).List(), Go byte order).
 */
export function associatedNodeRequestor(requestor: UserInfo): UserInfo {
  if (requestor === rPrimeMemo[0]) return rPrimeMemo[1]!; // same object for every check and key of a request
  // R's fields named in a literal rather than spread: R' keys associated-node cache entries for 10 s,
  // and V8 allocates a literal's objects in the old generation once they are seen to live that long
  // (a spread has no allocation site, so each R' was copied by young-generation collections instead).
  const r: UserInfo = { username: requestor.username, uid: requestor.uid, groups: requestor.groups, extra: keysExtra(Object.keys(requestor.extra)) };
  rPrimeMemo = [requestor, r];
  return r;
}

let rPrimeMemo: [UserInfo | null, UserInfo | null] = [null, null];

/**
 * R''s extras: `keys` in Go byte order under the one key. Requestors of one kind carry the same extra
 * keys (property keys: the same string objects), so the last answer is kept and handed out again,
 * record and all: sorting compares Go bytes (an ASCII test per key), and R's sharing one list also
 * lets cache keys compare it by identity. Shared like every user part here: users are immutable values.
 */
function keysExtra(keys: string[]): UserInfo["extra"] {
  if (sameStrings(keys, lastKeys)) return lastExtra;
  lastKeys = keys.slice();
  if (keys.length === 2) {
    if (compareGo(keys[1]!, keys[0]!) < 0) keys.reverse(); // sort's result for two keys, without its setup
  } else if (keys.length > 2) keys.sort(compareGo);
  lastExtra = { [ASSOCIATED_NODE_KEYS_EXTRA]: keys };
  return lastExtra;
}

let lastKeys: readonly string[] = [];
let lastExtra: UserInfo["extra"] = { [ASSOCIATED_NODE_KEYS_EXTRA]: [] };

// The checks of one request are made as one or two users (R, R' or the impersonated user): a two-slot
// memo of users known to be clean avoids rescanning them for every check (a WeakSet costs more in GC).
let clean1: UserInfo | null = null;
let clean2: UserInfo | null = null;

function isClean(u: UserInfo): boolean {
  if (u === clean1 || u === clean2) return true;
  if (!scanClean(u)) return false;
  clean2 = clean1;
  clean1 = u;
  return true;
}

function scanClean(u: UserInfo): boolean {
  if (hasEscape(u.username) || hasEscape(u.uid)) return false;
  const groups = u.groups;
  for (let i = 0; i < groups.length; i++) if (hasEscape(groups[i]!)) return false;
  for (const k in u.extra) {
    if (hasEscape(k)) return false;
    for (const v of u.extra[k] ?? []) if (hasEscape(v)) return false;
  }
  return true;
}

/** A user as JSON clients (SAR webhooks, whoami, audit) see it: invalid bytes become U+FFFD. */
export function visibleUser(u: UserInfo): UserInfo {
  if (isClean(u)) return u;
  const extra: Record<string, readonly string[]> = {};
  // Two keys that differ only in invalid bytes collapse in JSON; the later one wins, as in a JSON object.
  for (const [k, vs] of Object.entries(u.extra)) setOwn(extra, visible(k), vs.map(visible));
  return { username: visible(u.username), uid: visible(u.uid), groups: u.groups.map(visible), extra };
}
