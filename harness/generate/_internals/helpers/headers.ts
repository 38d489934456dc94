/**
 * Impersonation header names and the server's reading of them (SPEC §5), @internal.
 *
 * The generators build header lists; the grant builders need to know what the server will read
 * from them (the wanted user), so this module is the one place that decodes a list: Go's
 * canonical header names, first value wins for user and uid, groups in order, extras keyed by
 * `url.PathUnescape(lower(rest))`.
 */

export type HeaderList = readonly (readonly [name: string, value: string])[];

export const IMPERSONATE_USER = "Impersonate-User";
export const IMPERSONATE_UID = "Impersonate-Uid";
export const IMPERSONATE_GROUP = "Impersonate-Group";
export const IMPERSONATE_EXTRA_PREFIX = "Impersonate-Extra-";

/** How a header name is spelled on the wire; Go canonicalises all of them alike. */
export const SPELLINGS = ["canonical", "lower", "upper"] as const;
export type Spelling = (typeof SPELLINGS)[number];

export function spell(name: string, spelling: Spelling): string {
  return spelling === "lower" ? name.toLowerCase() : spelling === "upper" ? name.toUpperCase() : name;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isHeaderToken(name: string): boolean {
  return TOKEN.test(name);
}

/** Header values Node's http client sends unchanged and Go reads back: printable ASCII, no CR/LF/NUL. */
export function isSendableValue(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

/** textproto.CanonicalMIMEHeaderKey for token names. */
export function canonicalHeaderKey(name: string): string {
  if (!isHeaderToken(name)) return name;
  let out = "";
  let upper = true;
  for (const c of name) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === "-";
  }
  return out;
}

/** url.PathUnescape; undefined when an escape is malformed. */
export function pathUnescape(s: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      bytes.push(...new TextEncoder().encode(s[i]!));
      i += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The extra key the server derives from the part of a header name after `Impersonate-Extra-`. */
export function decodeExtraKey(suffix: string): string {
  const lower = suffix.toLowerCase();
  return pathUnescape(lower) ?? lower;
}

/** Go's textproto trims spaces and tabs around a header value. */
function trimValue(v: string): string {
  return v.replace(/^[ \t]+|[ \t]+$/g, "");
}

/** What the filter reads from a header list (SPEC §5). */
export interface WantedUser {
  /** Some `Impersonate-*` header is present at all. */
  readonly present: boolean;
  readonly name: string;
  readonly uid: string;
  readonly groups: readonly string[];
  /** Decoded key → values, keys in order of first appearance. */
  readonly extra: readonly (readonly [key: string, values: readonly string[]])[];
}

export function readWantedUser(headers: HeaderList): WantedUser {
  let name: string | undefined;
  let uid: string | undefined;
  let present = false;
  const groups: string[] = [];
  const extra = new Map<string, string[]>();
  for (const [rawName, rawValue] of headers) {
    const h = canonicalHeaderKey(rawName);
    const v = trimValue(rawValue);
    if (!h.startsWith("Impersonate-")) continue;
    if (h === IMPERSONATE_USER) name ??= v;
    else if (h === IMPERSONATE_UID) uid ??= v;
    else if (h === IMPERSONATE_GROUP) groups.push(v);
    else if (h.startsWith(IMPERSONATE_EXTRA_PREFIX)) {
      const key = decodeExtraKey(h.slice(IMPERSONATE_EXTRA_PREFIX.length));
      const list = extra.get(key) ?? [];
      list.push(v);
      extra.set(key, list);
    } else continue;
    present = true;
  }
  return { present, name: name ?? "", uid: uid ?? "", groups, extra: [...extra.entries()] };
}

/** Replaces the value of every Impersonate-User header (whatever its spelling). */
export function withWantedUser(headers: HeaderList, user: string): HeaderList {
  return headers.map(([n, v]) => (canonicalHeaderKey(n) === IMPERSONATE_USER ? ([n, user] as const) : ([n, v] as const)));
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** User-info's extra-key check (SPEC §7 4.1): non-empty, a domain-prefixed path, lower-case. */
export function isValidExtraKey(key: string): boolean {
  const slash = key.indexOf("/");
  if (slash < 0) return false;
  const host = key.slice(0, slash);
  const path = key.slice(slash + 1);
  return host.length <= 253 && DNS_SUBDOMAIN.test(host) && HTTP_PATH.test(path) && key === key.toLowerCase();
}

/** Whether a wanted user passes user-info's group and extra sanity checks (SPEC §7 3.1, 3.2, 4.1). */
export function passesSanityChecks(w: WantedUser): boolean {
  if (w.groups.includes("") || w.groups.includes("system:masters")) return false;
  return w.extra.every(([k, values]) => isValidExtraKey(k) && values.length > 0 && !values.includes(""));
}
