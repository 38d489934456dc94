import fc from "fast-check";
import type { Spelling } from "./headers.ts";
import { weighted } from "./weighted.ts";

/** Header-name spelling: canonical mostly, lower/upper case sometimes (@internal). */
export function spellingArb(oddities = true): fc.Arbitrary<Spelling> {
  return oddities
    ? weighted<Spelling>([
        ["canonical", 10],
        ["lower", 1],
        ["upper", 1],
      ])
    : fc.constant<Spelling>("canonical");
}
