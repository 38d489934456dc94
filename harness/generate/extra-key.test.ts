import { validateHeaderName, validateHeaderValue } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeExtraKey, isValidExtraKey } from "./_internals/helpers/headers.ts";
import { assertSeedStable } from "./_internals/testing/arbitrary-assertions.ts";
import { extraKey, INVALID_EXTRA_KEY_SUFFIXES, VALID_EXTRA_KEY_SUFFIXES } from "./extra-key.ts";

describe("extraKey", () => {
  it("is seed-stable", () => assertSeedStable(extraKey()));

  it("valid suffixes decode to valid keys, invalid ones to invalid keys (SPEC §5, §7 4.1)", () => {
    for (const s of VALID_EXTRA_KEY_SUFFIXES) expect(isValidExtraKey(decodeExtraKey(s)), s).toBe(true);
    for (const s of INVALID_EXTRA_KEY_SUFFIXES) expect(isValidExtraKey(decodeExtraKey(s)), s).toBe(false);
  });

  it("decodes like the server: lower-case first, then unescape; bad escapes kept as text", () => {
    expect(decodeExtraKey("Example.com%2fScopes")).toBe("example.com/scopes");
    expect(decodeExtraKey("example.com%2F%41bc")).toBe("example.com/Abc");
    expect(decodeExtraKey("%zz")).toBe("%zz");
    expect(decodeExtraKey("example.com%2Fx%")).toBe("example.com%2fx%");
  });

  it("every suffix makes a header name Node accepts", () => {
    for (const s of fc.sample(extraKey(), 200)) expect(() => validateHeaderName(`Impersonate-Extra-${s}`)).not.toThrow();
  });

  it("values stay ASCII: Node refuses characters above U+00FF and sends U+0080–U+00FF as single Latin-1 bytes", () => {
    expect(() => validateHeaderValue("x", "ᛄ")).toThrow();
    expect(() => validateHeaderValue("x", "é")).not.toThrow();
    expect(Buffer.from("é", "latin1")).toEqual(Buffer.from([0xe9])); // not the UTF-8 bytes c3 a9
  });
});
