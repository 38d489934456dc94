/**
 * SPEC §7c and §11: the outer and inner TTL caches of each constrained mode (cache.go
 * `impersonationCache`, `buildKey`). Successes only, 10 s from insertion, never refreshed by a hit;
 * the storage and clock live in state.ts (`StateAccess`).
 *
 * Keys: inner = (wanted user, requestor); outer = inner + the request's verb, readOnly, namespace,
 * resource, subresource, name, apiGroup, apiVersion, resourceRequest, path, field and label selector
 * requirements. A user contributes name, uid, groups in order and extras by sorted key with values in
 * order. associated-node keys on wanted `system:node:*` and R' (identity.ts), so one entry serves every
 * node of the same service account. Upstream hashes the key with SHA-256 and prefixes the requestor name;
 * collisions are ignored here (equal inputs ⇔ equal keys). A request whose selector failed to parse
 * neither reads nor writes the outer cache (buildKey returns an error); the inner cache is unaffected.
 */
import type { UserInfo } from "../core/index.ts";
import type { CacheEntry } from "./state.ts";
import type { FilterContext, FilterRequest } from "./types.ts";

const part = (s: string): string => `${s.length}:${s}`;

// Each mode that applies builds the same keys again within one request: remember the last few.
let userKeyMemo: [UserInfo | null, string, UserInfo | null, string] = [null, "", null, ""];
let requestKeyMemo: [FilterRequest | null, string | null] = [null, null];

export function userKey(u: UserInfo): string {
  if (u === userKeyMemo[0]) return userKeyMemo[1];
  if (u === userKeyMemo[2]) return userKeyMemo[3];
  const k = userKeyUncached(u);
  userKeyMemo = [u, k, userKeyMemo[0], userKeyMemo[1]];
  return k;
}

function userKeyUncached(u: UserInfo): string {
  let k = part(u.username) + part(u.uid) + `${u.groups.length}[`;
  for (const g of u.groups) k += part(g);
  const keys = Object.keys(u.extra);
  if (keys.length > 1) keys.sort();
  k += `]${keys.length}{`;
  for (const key of keys) {
    const values = u.extra[key]!;
    k += part(key) + `${values.length}[`;
    for (const v of values) k += part(v);
    k += "]";
  }
  return `${k}}`;
}

export function innerKey(wanted: UserInfo, requestor: UserInfo): string {
  return `${userKey(wanted)}|${userKey(requestor)}`;
}

/**
 * The request part of the outer key, or null when the outer cache must be skipped (selector parse error).
 * Attribution (attribution/request-info.ts) supplies it as `cacheKey`, built from the raw RequestInfo
 * (URL path of resource requests, selectors as parsed rather than in SAR shape); attributes made by hand
 * (upstream's cases) fall back to the fields themselves plus `urlPath`.
 */
export function requestKey(r: FilterRequest): string | null {
  if (r === requestKeyMemo[0]) return requestKeyMemo[1];
  const k = requestKeyUncached(r);
  requestKeyMemo = [r, k];
  return k;
}

function requestKeyUncached(r: FilterRequest): string | null {
  const a = r.attributes;
  if (a.selectorError) return null;
  if (a.cacheKey !== undefined) return `k${part(a.cacheKey)}`;
  let k =
    part(a.verb) + (a.readOnly ? "1" : "0") + part(a.namespace) + part(a.resource) + part(a.subresource) + part(a.name) +
    part(a.group) + part(a.version) + (a.resourceRequest ? "1" : "0") + part(r.urlPath);
  if (a.fieldSelector) k += `f${part(JSON.stringify(a.fieldSelector))}`;
  if (a.labelSelector) k += `l${part(JSON.stringify(a.labelSelector))}`;
  return k;
}

export interface CacheKeys {
  readonly wanted: UserInfo;
  readonly requestor: UserInfo;
  readonly inner: string;
  readonly outer: string | null;
}

export function cacheKeys(wanted: UserInfo, requestor: UserInfo, r: FilterRequest): CacheKeys {
  const inner = innerKey(wanted, requestor);
  const req = requestKey(r);
  return { wanted, requestor, inner, outer: req === null ? null : `${inner}|${req}` };
}

export function outerGet(ctx: FilterContext, mode: number, keys: CacheKeys): CacheEntry | undefined {
  return keys.outer === null ? undefined : ctx.access.cacheGet(mode, "outer", keys.requestor.username, keys.outer);
}

export function innerGet(ctx: FilterContext, mode: number, keys: CacheKeys): CacheEntry | undefined {
  return ctx.access.cacheGet(mode, "inner", keys.requestor.username, keys.inner);
}

function entry(ctx: FilterContext, keys: CacheKeys, user: UserInfo, constraint: CacheEntry["constraint"], withRequest: boolean): CacheEntry {
  if (!withRequest) return { user, constraint, insertedAt: ctx.access.now, wanted: keys.wanted, requestor: keys.requestor };
  return { user, constraint, insertedAt: ctx.access.now, wanted: keys.wanted, requestor: keys.requestor, request: ctx.request };
}

export function innerSet(ctx: FilterContext, mode: number, keys: CacheKeys, user: UserInfo, constraint: CacheEntry["constraint"]): void {
  ctx.access.cacheSet(mode, "inner", keys.requestor.username, keys.inner, entry(ctx, keys, user, constraint, false));
}

export function outerSet(ctx: FilterContext, mode: number, keys: CacheKeys, user: UserInfo, constraint: CacheEntry["constraint"]): void {
  if (keys.outer === null) return;
  ctx.access.cacheSet(mode, "outer", keys.requestor.username, keys.outer, entry(ctx, keys, user, constraint, true));
}
