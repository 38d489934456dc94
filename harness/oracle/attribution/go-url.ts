/**
 * The request target as kube-apiserver's Go HTTP server sees it: `url.ParseRequestURI` (path
 * percent-decoded, query kept raw) and `URL.Query()` (`url.ParseQuery`, which drops bad pairs).
 * RequestInfo reads `req.URL.Path` — the *decoded* path — so `%2F` becomes a real `/` and splits
 * segments (kubernetes/apiserver:pkg/endpoints/request/requestinfo.go `splitPath`).
 *
 * Strings follow the oracle's Go-string convention (../go-text.ts): decoded bytes that are not valid
 * UTF-8 are kept as surrogate escapes, so nothing is lost before the SAR is JSON-encoded.
 */
import { bytesToGo } from "../go-text.ts";

export type QueryValues = ReadonlyMap<string, readonly string[]>;

export interface RequestTarget {
  /** `URL.Path`, percent-decoded. */
  readonly path: string;
  /** `URL.Query()`. */
  readonly query: QueryValues;
  /** Why Go's HTTP server answers 400 before any handler runs, when it does. */
  readonly badRequest?: string;
}

const EMPTY_QUERY: QueryValues = new Map();
const MAX_QUERY_PARAMS = 10_000;
const encoder = new TextEncoder();
const CTL = /[\x00-\x1f\x7f]/;

/**
 * Go's `url.unescape` in path mode (`plusIsSpace` false) or query-component mode (true): `%XX` → byte,
 * and a `%` not followed by two hex digits is an error (undefined here).
 */
export function goUnescape(s: string, plusIsSpace: boolean): string | undefined {
  if (!s.includes("%") && !(plusIsSpace && s.includes("+"))) return s;
  // Fast path while everything (input and decoded bytes) is ASCII: no byte buffer needed.
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hi = i + 2 < s.length ? hexValue(s.charCodeAt(i + 1)) : -1;
      const lo = hi >= 0 ? hexValue(s.charCodeAt(i + 2)) : -1;
      if (lo < 0) return undefined;
      const b = (hi << 4) | lo;
      if (b >= 0x80) return unescapeBytes(s, plusIsSpace);
      out += String.fromCharCode(b);
      i += 3;
    } else if (c >= 0x80) {
      return unescapeBytes(s, plusIsSpace);
    } else {
      out += plusIsSpace && c === 0x2b ? " " : s[i];
      i++;
    }
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** The general path: UTF-8 bytes of the input, `%XX` → byte, then the Go string of the result. */
function unescapeBytes(s: string, plusIsSpace: boolean): string | undefined {
  const bytes = encoder.encode(s);
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b === 0x25) {
      const hi = i + 2 < bytes.length ? hexValue(bytes[i + 1]!) : -1;
      const lo = hi >= 0 ? hexValue(bytes[i + 2]!) : -1;
      if (lo < 0) return undefined;
      out[n++] = (hi << 4) | lo;
      i += 3;
    } else {
      out[n++] = plusIsSpace && b === 0x2b ? 0x20 : b;
      i++;
    }
  }
  return bytesToGo(out.subarray(0, n));
}

function countChar(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}

/**
 * `url.ParseQuery` as `URL.Query()` uses it (errors ignored): pairs split on `&` only; a pair containing
 * `;` is dropped (Go ≥ 1.17); empty pairs are skipped; a pair whose key or value has a bad escape is
 * dropped; `+` is a space. Values keep their order per key (Go 1.26 net/url `parseQuery`).
 */
export function goParseQuery(raw: string): QueryValues {
  if (raw === "") return EMPTY_QUERY;
  // Go ≥ 1.24 (urlmaxqueryparams, on for the go1.25 godebug default of our builds): more than 10 000
  // `&`-separated pairs and nothing is parsed at all.
  if (countChar(raw, "&") + 1 > MAX_QUERY_PARAMS) return EMPTY_QUERY;
  const m = new Map<string, string[]>();
  for (const pair of raw.split("&")) {
    if (pair === "" || pair.includes(";")) continue;
    const eq = pair.indexOf("=");
    const key = goUnescape(eq < 0 ? pair : pair.slice(0, eq), true);
    if (key === undefined) continue;
    const value = goUnescape(eq < 0 ? "" : pair.slice(eq + 1), true);
    if (value === undefined) continue;
    const values = m.get(key);
    if (values) values.push(value);
    else m.set(key, [value]);
  }
  return m;
}

/**
 * Splits an origin-form request target (`/path?query`). `url.ParseRequestURI` cuts at the first `?`
 * and does not treat `#` specially; it rejects control bytes and bad path escapes, which Go's server
 * answers with 400. A space cannot be part of a request line (Go reads it as the start of the
 * protocol version, also 400). Anything not starting with `/` is not origin-form.
 */
export function parseRequestTarget(target: string): RequestTarget {
  if (CTL.test(target)) return { path: target, query: EMPTY_QUERY, badRequest: "control character in request target" };
  if (target.includes(" ")) return { path: target, query: EMPTY_QUERY, badRequest: "space in request target" };
  if (!target.startsWith("/")) return { path: target, query: EMPTY_QUERY, badRequest: "request target is not origin-form (/path)" };
  const q = target.indexOf("?");
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? "" : target.slice(q + 1);
  const path = goUnescape(rawPath, false);
  if (path === undefined) return { path: rawPath, query: EMPTY_QUERY, badRequest: "invalid percent-encoding in path" };
  return { path, query: goParseQuery(rawQuery) };
}
