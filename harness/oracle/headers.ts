/**
 * SPEC §5 Header parsing: the ordered wire header list → what `processImpersonationHeaders`
 * (constrained_impersonation.go) and `buildImpersonationRequests` (impersonation.go) read.
 *
 * Transport first (Go net/http, HTTP/1.1 — Node's clients speak HTTP/1.1): textproto reads each line,
 * trims SP/HTAB around the value, canonicalises the name (CanonicalMIMEHeaderKey) and appends the value
 * to `http.Header[canonical]` in wire order. A name that is not an RFC 7230 token (a space included) or a
 * value with a control byte makes the server answer 400 before any filter runs: such a request is
 * `transport-rejected` here (Node refuses to send most of them anyway).
 *
 * Extras: every canonical name starting with `Impersonate-Extra-` gives key =
 * url.PathUnescape(strings.ToLower(rest)) (on an unescape error the lower-cased text is kept). Values of
 * several names that decode to one key are appended in Go map iteration order, which is unspecified:
 * `ExtraEntry.sources` keeps them apart so callers can tell when that order matters. Our primary order is
 * first appearance on the wire.
 */
import type { HttpRequest } from "../core/index.ts";
import { memoize } from "./attribution/memo.ts";
import { asciiLower, bytesToGo, wireToGo } from "./go-text.ts";

export const IMPERSONATE_USER = "Impersonate-User";
export const IMPERSONATE_UID = "Impersonate-Uid";
export const IMPERSONATE_GROUP = "Impersonate-Group";
export const IMPERSONATE_EXTRA_PREFIX = "Impersonate-Extra-";

/** One canonical `Impersonate-Extra-*` header name with its decoded key and its values in wire order. */
export interface ExtraHeader {
  readonly canonicalName: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface ExtraEntry {
  readonly key: string;
  /** The merged values in our primary order (sources in first-appearance order). */
  readonly values: readonly string[];
  /** The header names merged into this key; more than one ⇒ Go map order decides the value order. */
  readonly sources: readonly ExtraHeader[];
}

/** user.DefaultInfo as built from the headers. `null` = Go nil (visible in the 400 message's `%#v`). */
export interface WantedUser {
  readonly name: string;
  readonly uid: string;
  readonly groups: readonly string[] | null;
  readonly extra: readonly ExtraEntry[] | null;
}

export type HeaderParse =
  | { readonly kind: "transport-rejected"; readonly reason: string }
  | { readonly kind: "none" }
  | { readonly kind: "bad-request"; readonly wanted: WantedUser; readonly extraHeaders: readonly ExtraHeader[]; readonly clean: boolean }
  | { readonly kind: "impersonate"; readonly wanted: WantedUser; readonly extraHeaders: readonly ExtraHeader[]; readonly clean: boolean };

const PRINTABLE_ASCII = /^[\t\x20-\x7e]*$/;
const DIRTY = /[\udc00-\udfff]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// textproto's validHeaderValueByte: HTAB, SP..~, and obs-text 0x80-0xFF (the string is bytes here).
const BAD_VALUE_BYTE = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * textproto.CanonicalMIMEHeaderKey: upper-case the first letter and every letter after '-', lower-case
 * the rest — unless the name holds a byte that is not a token byte (a space included): then it is
 * returned unchanged, which is why `impersonate-extra-a b` would never match the prefix.
 */
export function canonicalMIMEHeaderKey(name: string): string {
  const memo = canonicalMemo.get(name);
  if (memo !== undefined) return memo;
  let out = name;
  if (TOKEN.test(name)) {
    const codes = new Array<number>(name.length);
    let upper = true;
    for (let i = 0; i < name.length; i++) {
      let c = name.charCodeAt(i);
      if (upper && c >= 0x61 && c <= 0x7a) c -= 0x20;
      else if (!upper && c >= 0x41 && c <= 0x5a) c += 0x20;
      codes[i] = c;
      upper = c === 0x2d;
    }
    out = String.fromCharCode(...codes);
  }
  if (canonicalMemo.size > 4096) canonicalMemo.clear(); // names repeat; keep the memo bounded
  canonicalMemo.set(name, out);
  return out;
}

const canonicalMemo = new Map<string, string>();

const HEX = /^[0-9a-fA-F]{2}$/;

/** url.PathUnescape on the (ASCII) lower-cased remainder; returns null on a malformed escape. */
export function pathUnescape(s: string): string | null {
  if (!s.includes("%")) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const h = s.slice(i + 1, i + 3);
      if (!HEX.test(h)) return null;
      bytes.push(parseInt(h, 16));
      i += 3;
      continue;
    }
    if (c > 0xff) return null; // not reachable: header names are byte strings
    bytes.push(c);
    i++;
  }
  return bytesToGo(bytes);
}

/** unescapeExtraKey(strings.ToLower(rest)) for a canonical `Impersonate-Extra-<rest>` name. */
export function extraKeyOf(canonicalName: string): string {
  // Header names reaching the filter are tokens (ASCII), so strings.ToLower is ASCII lower-casing.
  const lowered = asciiLower(canonicalName.slice(IMPERSONATE_EXTRA_PREFIX.length));
  return pathUnescape(lowered) ?? lowered;
}

/** textproto trims SP and HTAB around a value. */
function trimOWS(v: string): string {
  let a = 0;
  let b = v.length;
  while (a < b && (v.charCodeAt(a) === 0x20 || v.charCodeAt(a) === 0x09)) a++;
  while (b > a && (v.charCodeAt(b - 1) === 0x20 || v.charCodeAt(b - 1) === 0x09)) b--;
  return a === 0 && b === v.length ? v : v.slice(a, b);
}

/** Go's `http.Header` as the server builds it: canonical name → values in wire order, names in first-seen order. */
/** Whether the last `readHeader` saw only ASCII (then no Go string of the request can hold an escape). */
let lastReadAscii = true;

export function readHeader(headers: HttpRequest["headers"]): Map<string, string[]> | { rejected: string } {
  const header = new Map<string, string[]>();
  lastReadAscii = true;
  for (const [rawName, rawValue] of headers) {
    let name = rawName;
    let value: string;
    if (TOKEN.test(rawName) && PRINTABLE_ASCII.test(rawValue)) value = trimOWS(rawValue); // the common case
    else {
      lastReadAscii = false;
      name = wireToGo(rawName);
      if (!TOKEN.test(name)) return { rejected: `header name ${JSON.stringify(rawName)} is not an HTTP token` };
      if (BAD_VALUE_BYTE.test(rawValue)) return { rejected: `header ${JSON.stringify(rawName)} has a control byte in its value` };
      value = wireToGo(trimOWS(rawValue));
    }
    const canonical = canonicalMIMEHeaderKey(name);
    const values = header.get(canonical);
    if (values) values.push(value);
    else header.set(canonical, [value]);
  }
  return header;
}

/** The `Impersonate-Extra-*` headers of a parsed header, in first-appearance order. */
export function extraHeadersOf(header: ReadonlyMap<string, readonly string[]>): ExtraHeader[] {
  const out: ExtraHeader[] = [];
  for (const [canonicalName, values] of header) {
    if (canonicalName.startsWith(IMPERSONATE_EXTRA_PREFIX)) out.push({ canonicalName, key: extraKeyOf(canonicalName), values });
  }
  return out;
}

/** Merge extra headers by decoded key (headers with no value are skipped, as upstream does). */
export function mergeExtras(extraHeaders: readonly ExtraHeader[]): ExtraEntry[] | null {
  let byKey: Map<string, ExtraHeader[]> | null = null;
  for (const h of extraHeaders) {
    if (h.values.length === 0) continue; // only HTTP/1 could produce this; kept for parity with upstream
    byKey ??= new Map();
    const list = byKey.get(h.key);
    if (list) list.push(h);
    else byKey.set(h.key, [h]);
  }
  if (!byKey) return null;
  const out: ExtraEntry[] = [];
  for (const [key, sources] of byKey) {
    let values = sources[0]!.values;
    if (sources.length > 1) {
      const merged: string[] = [];
      for (const source of sources) for (const v of source.values) merged.push(v);
      values = merged;
    }
    out.push({ key, values, sources });
  }
  return out;
}

/**
 * processImpersonationHeaders, plus what the legacy filter needs. One pass over the wire list doing what
 * `readHeader` + `extraHeadersOf` do (same rejections in the same order, same first values, extra header
 * names in first-appearance order), without building the whole `http.Header`: only the impersonation
 * headers are kept.
 */
export function parseImpersonationHeaders(headers: HttpRequest["headers"]): HeaderParse {
  let ascii = true;
  let name: string | undefined;
  let uid: string | undefined;
  let groupValues: string[] | undefined;
  let extraNames: HeaderName[] | undefined;
  let extraValues: string[][] | undefined;
  for (let i = 0; i < headers.length; i++) {
    const rawName = headers[i]![0];
    const rawValue = headers[i]![1];
    let header = tokenHeaderName(rawName);
    let value = header === undefined ? undefined : plainValue(rawValue);
    if (header === undefined || value === undefined) {
      // Not the common case (a token name, a printable value): the bytes as Go reads them.
      ascii = false;
      const goName = wireToGo(rawName);
      if (!TOKEN.test(goName)) return { kind: "transport-rejected", reason: `header name ${JSON.stringify(rawName)} is not an HTTP token` };
      if (BAD_VALUE_BYTE.test(rawValue)) return { kind: "transport-rejected", reason: `header ${JSON.stringify(rawName)} has a control byte in its value` };
      value = wireToGo(trimOWS(rawValue));
      header = headerNameOf(canonicalMIMEHeaderKey(goName));
    }
    const kind = header.kind;
    if (kind === USER) name ??= value;
    else if (kind === UID) uid ??= value;
    else if (kind === GROUP) (groupValues ??= []).push(value);
    else if (kind === EXTRA) {
      const i = extraNames === undefined ? -1 : indexOfCanonical(extraNames, header.canonical);
      if (i >= 0) extraValues![i]!.push(value);
      else {
        (extraNames ??= []).push(header);
        (extraValues ??= []).push([value]);
      }
    }
  }
  let extraHeaders: readonly ExtraHeader[] = NO_EXTRA_HEADERS;
  // Escapes appear only for non-ASCII header bytes or %-decoded extra keys.
  let clean = ascii;
  if (extraNames !== undefined) {
    const list: ExtraHeader[] = [];
    for (let i = 0; i < extraNames.length; i++) {
      const h = extraNames[i]!;
      if (h.dirtyKey) clean = false;
      list.push({ canonicalName: h.canonical, key: h.extraKey, values: extraValues![i]! });
    }
    extraHeaders = list;
  }
  const wanted: WantedUser = {
    name: name ?? "",
    uid: uid ?? "",
    groups: groupValues !== undefined && groupValues.length > 0 ? groupValues : null,
    extra: extraHeaders.length > 0 ? mergeExtras(extraHeaders) : null,
  };
  const hasUser = wanted.name.length > 0;
  if (!hasUser && (wanted.uid.length > 0 || wanted.groups !== null || extraHeaders.length > 0)) {
    return { kind: "bad-request", wanted, extraHeaders, clean };
  }
  if (!hasUser) return NO_IMPERSONATION;
  return { kind: "impersonate", wanted, extraHeaders, clean };
}

const OTHER = 0;
const USER = 1;
const UID = 2;
const GROUP = 3;
const EXTRA = 4;

/** What the filter reads from a canonical header name. */
interface HeaderName {
  readonly canonical: string;
  readonly kind: typeof OTHER | typeof USER | typeof UID | typeof GROUP | typeof EXTRA;
  /** EXTRA only: the decoded extra key, and whether it holds an invalid-byte escape. */
  readonly extraKey: string;
  readonly dirtyKey: boolean;
}

function headerNameOf(canonical: string): HeaderName {
  if (canonical === IMPERSONATE_USER) return { canonical, kind: USER, extraKey: "", dirtyKey: false };
  if (canonical === IMPERSONATE_UID) return { canonical, kind: UID, extraKey: "", dirtyKey: false };
  if (canonical === IMPERSONATE_GROUP) return { canonical, kind: GROUP, extraKey: "", dirtyKey: false };
  if (!canonical.startsWith(IMPERSONATE_EXTRA_PREFIX)) return { canonical, kind: OTHER, extraKey: "", dirtyKey: false };
  const extraKey = extraKeyOf(canonical);
  return { canonical, kind: EXTRA, extraKey, dirtyKey: DIRTY.test(extraKey) };
}

/**
 * The header name as the filter reads it, for a wire name that is an HTTP token (else undefined):
 * memoised per wire spelling, since the same few names come with every request.
 */
function tokenHeaderName(rawName: string): HeaderName | undefined {
  // The last name first, by identity: requests mostly carry one impersonation header, spelt by the same
  // string each time, and the Map lookup behind costs a builtin call.
  if (rawName === lastName) return lastHeader;
  let h = headerNames.get(rawName);
  if (h === undefined) {
    if (!TOKEN.test(rawName)) return undefined;
    h = headerNameOf(canonicalMIMEHeaderKey(rawName));
    if (headerNames.size >= 4096) headerNames.clear(); // names repeat; keep the memo bounded
    headerNames.set(rawName, h);
  }
  lastName = rawName;
  lastHeader = h;
  return h;
}

const headerNames = new Map<string, HeaderName>();
let lastName: string | undefined;
let lastHeader: HeaderName | undefined;

/**
 * A header value that is printable ASCII, trimmed; undefined for any other value. A run repeats its
 * values (names, groups, extra values), and a value seen before is found without the test, as the same
 * string object each time: comparing it with a cache key or with the last request's value is then an
 * identity test instead of a char-by-char one. (Not internalized: for a value never seen before that
 * would cost microseconds, a new hidden class per distinct string.) The test is a RegExp rather than a
 * charCodeAt loop: header values are often strings made by concatenation, which a loop reads through an
 * indirection per char, while a RegExp reads the flattened string.
 */
const plainValue = memoize(4096, (raw: string): string | undefined => (PRINTABLE_ASCII.test(raw) ? trimOWS(raw) : undefined));

function indexOfCanonical(names: readonly HeaderName[], canonical: string): number {
  for (let i = 0; i < names.length; i++) if (names[i]!.canonical === canonical) return i;
  return -1;
}

const NO_IMPERSONATION: HeaderParse = { kind: "none" };
const NO_EXTRA_HEADERS: readonly ExtraHeader[] = [];

/** True when a key's merged value order depends on Go map iteration (several sources, not all identical). */
export function mergeOrderMatters(entry: ExtraEntry): boolean {
  const sources = entry.sources;
  if (sources.length < 2) return false;
  // Loops, not closures over `first`: this runs for every extra of every impersonating request.
  const first = sources[0]!.values;
  for (let i = 1; i < sources.length; i++) {
    const values = sources[i]!.values;
    if (values.length !== first.length) return true;
    for (let j = 0; j < values.length; j++) if (values[j] !== first[j]) return true;
  }
  return false;
}
