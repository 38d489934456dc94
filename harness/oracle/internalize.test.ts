import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { internalize } from "./internalize.ts";

// Only speed may depend on internalize: whatever the string (index-like, `__proto__`, lone surrogates,
// the empty string), it must come back equal.
test.prop([fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom("__proto__", "0", "4294967295", "-0", "constructor", "", "\udc80"))])(
  "returns a string equal to its argument",
  (s) => {
    expect(internalize(s)).toBe(s);
  },
);
