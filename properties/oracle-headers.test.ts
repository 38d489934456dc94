/**
 * SPEC §5 for arbitrary bytes: an `Impersonate-Extra-` key is the header name's remainder, lower-cased
 * (ASCII), then URL-path-unescaped; a malformed escape keeps the lower-cased text. Checked against a
 * byte-level model written here, for any spelling of the header name.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { goToBytes } from "../harness/oracle/go-text.ts";
import { parseImpersonationHeaders } from "../harness/oracle/headers.ts";
import { RUNS } from "./oracle-arbitraries.ts";

const TOKEN = "!#$&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const isTokenByte = (b: number) => b < 0x80 && TOKEN.includes(String.fromCharCode(b));
const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);

/** One byte of the key: written literally (token bytes only) or as %XX in either hex case. */
const pieceArb = fc.record({ byte: fc.nat({ max: 255 }), literal: fc.boolean(), upperHex: fc.boolean() });
const spellingArb = fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }); // case flips of "Impersonate-Extra-"

test.prop([fc.array(pieceArb, { maxLength: 12 }), spellingArb, fc.option(fc.nat({ max: 12 }))], { numRuns: RUNS * 4 })(
  "extra keys decode to the written bytes for any bytes and any spelling of the prefix",
  (pieces, flips, malformedAt) => {
    let text = "";
    const expected: number[] = [];
    for (const p of pieces) {
      if (p.literal && isTokenByte(p.byte)) {
        text += String.fromCharCode(p.byte);
        expected.push(lower(p.byte));
      } else {
        const hex = p.byte.toString(16).padStart(2, "0");
        text += `%${p.upperHex ? hex.toUpperCase() : hex}`;
        expected.push(p.byte);
      }
    }
    // a '%' not followed by two hex digits makes url.PathUnescape fail: the lower-cased text is kept
    if (malformedAt !== null) text = `${text.slice(0, malformedAt)}%g${text.slice(malformedAt)}`;
    const prefix = [..."Impersonate-Extra-"].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join("");
    const parse = parseImpersonationHeaders([["Impersonate-User", "u"], [prefix + text, "v"]]);
    expect(parse.kind).toBe("impersonate");
    if (parse.kind !== "impersonate") return;
    const keys = (parse.wanted.extra ?? []).map((e) => e.key);
    expect(keys).toHaveLength(1);
    const want = malformedAt === null ? expected : [...text].map((c) => lower(c.charCodeAt(0)));
    expect([...goToBytes(keys[0]!)]).toEqual(want);
  },
);

// Printable values are remembered once checked and trimmed (headers.ts `plainValue`): a value met again
// must parse exactly as it did the first time, trimmed of OWS, whatever else came in between.
const valueCharArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(..."abz09-:.") },
  { weight: 2, arbitrary: fc.constantFrom(" ", "\t") },
  { weight: 1, arbitrary: fc.constantFrom("\u00e9", "\u0001", "\u007f", "\n") },
);
const valueArb = fc.array(valueCharArb, { maxLength: 8 }).map((cs) => cs.join(""));

test.prop([fc.array(valueArb, { minLength: 1, maxLength: 6 })], { numRuns: RUNS * 4 })(
  "a header value met again parses as it did the first time, printable ones trimmed of OWS",
  (values) => {
    const parse = (v: string) => parseImpersonationHeaders([["Impersonate-User", v]]);
    const first = values.map(parse);
    const again = values.map(parse);
    expect(again).toEqual(first);
    values.forEach((v, i) => {
      if (!/^[\t\x20-\x7e]*$/.test(v)) return;
      const trimmed = v.replace(/^[ \t]+|[ \t]+$/g, "");
      const p = again[i]!;
      expect(p.kind === "impersonate" ? p.wanted.name : "").toBe(trimmed);
    });
  },
);
