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
 * here lookups are exact instead: by requestor name, wanted name and the request's key, then by
 * comparing the users themselves (state.ts `findEntry`), so equal inputs ⇔ the same entry. A request
 * whose selector failed to parse neither reads nor writes the outer cache (buildKey returns an error);
 * the inner cache is unaffected.
 */
import type { UserInfo } from "../core/index.ts";
import { cacheEntry, type CacheEntry, type Layer, type NameEntries } from "./state.ts";
import type { FilterContext, FilterRequest } from "./types.ts";

/**
 * The request part of the outer key, or null when the outer cache must be skipped (selector parse error).
 * Attribution (attribution/request-info.ts) supplies it as `cacheKey` (a JSON array, so it starts with
 * "["), built from the raw RequestInfo (URL path of resource requests, selectors as parsed rather than in
 * SAR shape); attributes made by hand (upstream's cases) fall back to the fields themselves plus
 * `urlPath`, length-prefixed (so starting with a digit: the two forms never meet).
 */
export function requestKey(r: FilterRequest): string | null {
  const a = r.attributes;
  if (a.selectorError) return null;
  if (a.cacheKey !== undefined) return a.cacheKey;
  let k =
    part(a.verb) + (a.readOnly ? "1" : "0") + part(a.namespace) + part(a.resource) + part(a.subresource) + part(a.name) +
    part(a.group) + part(a.version) + (a.resourceRequest ? "1" : "0") + part(r.urlPath);
  if (a.fieldSelector) k += `f${part(JSON.stringify(a.fieldSelector))}`;
  if (a.labelSelector) k += `l${part(JSON.stringify(a.labelSelector))}`;
  return k;
}

const part = (s: string): string => `${s.length}:${s}`;

/**
 * The lookups and writes of one mode's caches for one request. Keys are made only when needed: a
 * requestor with no entries in a cache (every fresh requestor) needs none to miss, and a denial stores
 * nothing; so callers pass the wanted user as a user (`wantedAsUser`, or associated-node's own) only once
 * `entriesOf` found entries or a success is stored. Entries are found by requestor name, wanted name and
 * request key (inner caches: wanted uid), then by comparing the users (state.ts).
 */
export function entriesOf(ctx: FilterContext, mode: number, layer: Layer, requestor: UserInfo): NameEntries | undefined {
  return ctx.access.cacheEntriesOf(mode, layer, requestor.username);
}

export function outerFind(ctx: FilterContext, entries: NameEntries, wanted: UserInfo, requestor: UserInfo): CacheEntry | undefined {
  const req = requestKey(ctx.request);
  return req === null ? undefined : ctx.access.cacheFind(entries, wanted.username, req, wanted, requestor);
}

export function innerFind(ctx: FilterContext, entries: NameEntries, wanted: UserInfo, requestor: UserInfo): CacheEntry | undefined {
  return ctx.access.cacheFind(entries, wanted.username, wanted.uid, wanted, requestor);
}

export function innerSet(ctx: FilterContext, mode: number, wanted: UserInfo, requestor: UserInfo, user: UserInfo, constraint: CacheEntry["constraint"]): void {
  const entry = cacheEntry(user, constraint, ctx.access.now, wanted, requestor, wanted.username, wanted.uid);
  ctx.access.cacheSet(mode, "inner", requestor.username, entry);
}

export function outerSet(ctx: FilterContext, mode: number, wanted: UserInfo, requestor: UserInfo, user: UserInfo, constraint: CacheEntry["constraint"]): void {
  const req = requestKey(ctx.request);
  if (req === null) return;
  const entry = cacheEntry(user, constraint, ctx.access.now, wanted, requestor, wanted.username, req, ctx.request);
  ctx.access.cacheSet(mode, "outer", requestor.username, entry);
}
