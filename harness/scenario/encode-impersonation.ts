import type { HttpRequest, ImpersonationRequest } from "../core/index.ts";
import type { ScenarioRequest } from "./schema.ts";

/**
 * `request.impersonate` → the `Impersonate-*` headers a client-go client sends, in its order
 * (kubernetes/client-go transport/round_trippers.go, `impersonatingRoundTripper.RoundTrip`):
 *
 * 1. `Impersonate-User`, always once the impersonation config is non-empty, even with an empty name
 *    (client-go installs the round tripper when user, uid, groups or extra is set, then sets the user
 *    header unconditionally; the server treats an empty value like an absent header, SPEC §5);
 * 2. `Impersonate-Uid` when the uid is non-empty;
 * 3. one `Impersonate-Group` per group, in order (empty strings included);
 * 4. `Impersonate-Extra-<escaped key>` once per value, values in order. client-go ranges over a Go
 *    map here, so its key order is random; we use the key order of the scenario file, which makes a
 *    request reproducible (the server's own iteration order over keys is unspecified anyway, SPEC §5).
 *
 * Extra keys are escaped byte by byte like client-go's `headerKeyEscape`: every UTF-8 byte that is
 * not an HTTP token character (RFC 7230 §3.2.6), and `%` itself, becomes `%XX` with upper-case hex,
 * so the server's `url.PathUnescape` restores the key. Go's `Header.Add` then canonicalises the name
 * (`CanonicalMIMEHeaderKey`: upper-case after each `-`, lower-case elsewhere), which is what goes on
 * an HTTP/1.1 wire; we reproduce that too, so `example.com/scopes` is sent as
 * `Impersonate-Extra-Example.com%2fscopes`. The server lower-cases the key before unescaping, so the
 * spelling does not change what it decodes.
 *
 * Raw `request.headers` follow, verbatim and in file order: they are how a scenario sends what no
 * client would (spellings, bad escapes, headers without a user).
 */

/** RFC 7230 tchar, the bytes client-go leaves unescaped (its `legalHeaderKeyBytes`) minus `%`. */
function isTokenByte(b: number): boolean {
  if ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) return true;
  return "!#$&'*+-.^_`|~".includes(String.fromCharCode(b));
}

/** Percent-encodes an extra key for a header name, as client-go's `headerKeyEscape` does. */
export function headerKeyEscape(key: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(key)) {
    out += isTokenByte(b) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function isHeaderFieldByte(c: number): boolean {
  return c < 0x80 && (isTokenByte(c) || c === 0x25 /* % */);
}

/** Go's `textproto.CanonicalMIMEHeaderKey`; names with a non-token byte are returned unchanged. */
export function canonicalHeaderKey(name: string): string {
  for (let i = 0; i < name.length; i++) if (!isHeaderFieldByte(name.charCodeAt(i))) return name;
  let upper = true;
  let out = "";
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === "-";
  }
  return out;
}

export const IMPERSONATE_USER = "Impersonate-User";
export const IMPERSONATE_UID = "Impersonate-Uid";
export const IMPERSONATE_GROUP = "Impersonate-Group";
export const IMPERSONATE_EXTRA_PREFIX = "Impersonate-Extra-";

function isEmpty(imp: ImpersonationRequest): boolean {
  return !imp.user && !imp.uid && (imp.groups ?? []).length === 0 && Object.keys(imp.extra ?? {}).length === 0;
}

/** The ordered `Impersonate-*` headers for an impersonation request; none when it asks for nothing. */
export function encodeImpersonation(imp: ImpersonationRequest | undefined): [name: string, value: string][] {
  if (imp === undefined || isEmpty(imp)) return [];
  const headers: [string, string][] = [[IMPERSONATE_USER, imp.user ?? ""]];
  if (imp.uid) headers.push([IMPERSONATE_UID, imp.uid]);
  for (const g of imp.groups ?? []) headers.push([IMPERSONATE_GROUP, g]);
  for (const [key, values] of Object.entries(imp.extra ?? {})) {
    const name = canonicalHeaderKey(IMPERSONATE_EXTRA_PREFIX + headerKeyEscape(key));
    for (const v of values) headers.push([name, v]);
  }
  return headers;
}

/** A scenario request as the HTTP request the harness sends (the requestor's credential is added later). */
export function toHttpRequest(req: Pick<ScenarioRequest, "method" | "path" | "impersonate" | "headers" | "body">): HttpRequest {
  const headers = encodeImpersonation(req.impersonate);
  for (const [name, values] of Object.entries(req.headers ?? {})) {
    for (const v of values) headers.push([name, v]);
  }
  return req.body === undefined ? { method: req.method, path: req.path, headers } : { method: req.method, path: req.path, headers, body: req.body };
}
