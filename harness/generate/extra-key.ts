import fc from "fast-check";

/**
 * Header-name suffixes (`Impersonate-Extra-<suffix>`) whose decoded key (lower-case, then
 * url.PathUnescape, SPEC §5) passes user-info's key validation (SPEC §7 4.1): domain-prefixed,
 * lower-case. Several spell the same key (`example.com/scopes`) in other cases.
 */
export const VALID_EXTRA_KEY_SUFFIXES = [
  "example.com%2Fscopes",
  "acme.io%2Fteam",
  "tags.io%2Fenv",
  "pandas.io%2Fscopes",
  "example.com%2Fa%2Fb",
  "Example.com%2fScopes",
  "EXAMPLE.COM%2FROLES",
] as const;

/**
 * Suffixes whose key fails validation (legacy still accepts them): no domain (`scopes`), no path
 * (`acme.com`), empty path, a bad escape kept as text (`%zz`, trailing `%`), an escaped upper-case
 * letter (`%41` decodes to `A` after lower-casing), a bad host, and the empty key.
 */
export const INVALID_EXTRA_KEY_SUFFIXES = [
  "scopes",
  "acme.com",
  "example.com%2F",
  "%zz",
  "example.com%2F%41bc",
  "a_b.com%2Fx",
  "example.com%2Fx%",
  "",
] as const;

export interface ExtraKeyConstraints {
  /**
   * Which keys: `valid`, `invalid`, or `any` (valid four times as likely).
   * @defaultValue "any"
   */
  readonly validity?: "valid" | "invalid" | "any";
}

/**
 * The part of an `Impersonate-Extra-*` header name after the prefix, as sent. Always an RFC 7230
 * token, so Node sends it and Go reads it (a `/` must travel as `%2F`). Decode with
 * `decodeExtraKey` to get the key the server sees.
 *
 * Extra *values* stay printable ASCII: Node's client writes header strings as Latin-1, so a JS
 * string with a character above U+00FF is refused (ERR_INVALID_CHAR) and one in U+0080–U+00FF goes
 * out as a single non-UTF-8 byte that Go keeps raw; neither is a UTF-8 value (see the test).
 */
export function extraKey(constraints: ExtraKeyConstraints = {}): fc.Arbitrary<string> {
  const validity = constraints.validity ?? "any";
  if (!["valid", "invalid", "any"].includes(validity)) throw new RangeError(`extraKey: validity must be valid|invalid|any, got ${validity}`);
  const valid = fc.constantFrom(...VALID_EXTRA_KEY_SUFFIXES);
  const invalid = fc.constantFrom(...INVALID_EXTRA_KEY_SUFFIXES);
  if (validity === "valid") return valid;
  if (validity === "invalid") return invalid;
  return fc.oneof({ withCrossShrink: true }, { arbitrary: valid, weight: 4 }, { arbitrary: invalid, weight: 1 });
}
