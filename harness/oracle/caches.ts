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
 * the keys here are exact instead (length-prefixed parts: equal inputs ⇔ equal keys), and the outer
 * cache nests the request's key under the inner key rather than concatenating them. A request whose selector failed to parse
 * neither reads nor writes the outer cache (buildKey returns an error); the inner cache is unaffected.
 */
import type { UserInfo } from "../core/index.ts";
import type { WantedUser } from "./headers.ts";
import { wantedAsUser } from "./identity.ts";
import type { CacheEntry } from "./state.ts";
import type { FilterContext, FilterRequest } from "./types.ts";

/**
 * A user as an exact string: name, uid, groups in order, extras by sorted key with their values in
 * order, every string length-prefixed (`<length>:<text>`) so the encoding is injective and
 * self-delimiting. Parts are joined once (a flat string, cheaper here than `+` chains or JSON).
 */
export function userKey(u: UserInfo): string {
  const parts: (string | number)[] = [u.username.length, ":", u.username];
  userKeyParts(u, parts);
  return parts.join("");
}

/** `userKey` without the name: uid, groups and extras, appended to `parts`. */
function userKeyParts(u: UserInfo, parts: (string | number)[]): void {
  const groups = u.groups;
  parts.push(u.uid.length, ":", u.uid, groups.length, "[");
  for (let i = 0; i < groups.length; i++) parts.push(groups[i]!.length, ":", groups[i]!);
  const keys = Object.keys(u.extra);
  if (keys.length === 0) {
    parts.push("]0");
    return;
  }
  if (keys.length === 2) {
    if (keys[1]! < keys[0]!) keys.reverse(); // what sort() does to two (distinct) keys, without its setup
  } else if (keys.length > 2) keys.sort();
  parts.push("]", keys.length, "{");
  for (const key of keys) {
    const values = u.extra[key]!;
    parts.push(key.length, ":", key, values.length, "[");
    for (const v of values) parts.push(v.length, ":", v);
  }
}

/**
 * The inner key: both users, but not the requestor's name, which is the key every cache is first
 * looked up by (for associated-node R' has R's name too).
 */
export function innerKey(wanted: UserInfo, requestor: UserInfo): string {
  const parts: (string | number)[] = [wanted.username.length, ":", wanted.username];
  userKeyParts(wanted, parts);
  parts.push("|");
  userKeyParts(requestor, parts);
  return parts.join("");
}

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
 * The keys of one mode's cache lookups for one request, made only when needed: a requestor with no
 * entries in a cache (every fresh requestor) needs no key to miss, and a denial stores nothing. The
 * wanted user is built from the headers on first use too (associated-node passes its own).
 */
export class CacheKeys {
  private wantedUser: UserInfo | undefined;
  private innerKey: string | undefined;
  private requestKey: string | null | undefined;

  constructor(
    private readonly wantedHeaders: WantedUser | undefined,
    wanted: UserInfo | undefined,
    readonly requestor: UserInfo,
    private readonly filterRequest: FilterRequest,
  ) {
    this.wantedUser = wanted;
  }

  /** The wanted user as a user (for keys and entries). */
  get wanted(): UserInfo {
    return (this.wantedUser ??= wantedAsUser(this.wantedHeaders!));
  }

  get inner(): string {
    return (this.innerKey ??= innerKey(this.wanted, this.requestor));
  }

  /** The outer key's request part (the inner key being its first part); null when the request has none (selector error). */
  get request(): string | null {
    if (this.requestKey === undefined) this.requestKey = requestKey(this.filterRequest);
    return this.requestKey;
  }
}

export function outerGet(ctx: FilterContext, mode: number, keys: CacheKeys): CacheEntry | undefined {
  const name = keys.requestor.username;
  if (!ctx.access.cacheHas(mode, "outer", name)) return undefined;
  const req = keys.request;
  return req === null ? undefined : ctx.access.cacheGet(mode, "outer", name, keys.inner, req);
}

export function innerGet(ctx: FilterContext, mode: number, keys: CacheKeys): CacheEntry | undefined {
  const name = keys.requestor.username;
  if (!ctx.access.cacheHas(mode, "inner", name)) return undefined;
  return ctx.access.cacheGet(mode, "inner", name, keys.inner, "");
}

export function innerSet(ctx: FilterContext, mode: number, keys: CacheKeys, user: UserInfo, constraint: CacheEntry["constraint"]): void {
  const entry: CacheEntry = { user, constraint, insertedAt: ctx.access.now, wanted: keys.wanted, requestor: keys.requestor };
  ctx.access.cacheSet(mode, "inner", keys.requestor.username, keys.inner, "", entry);
}

export function outerSet(ctx: FilterContext, mode: number, keys: CacheKeys, user: UserInfo, constraint: CacheEntry["constraint"]): void {
  const req = keys.request;
  if (req === null) return;
  const entry: CacheEntry = { user, constraint, insertedAt: ctx.access.now, wanted: keys.wanted, requestor: keys.requestor, request: ctx.request };
  ctx.access.cacheSet(mode, "outer", keys.requestor.username, keys.inner, req, entry);
}
