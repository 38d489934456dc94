import fc from "fast-check";
import { NODE_PREFIX } from "./_internals/helpers/usernames.ts";
import { GENERIC_USERS } from "./_internals/vocabulary.ts";
import { nodeName } from "./node-name.ts";
import { serviceAccountName } from "./service-account-name.ts";

/**
 * What an `Impersonate-User` value looks like to the filter (SPEC §6): a valid node username, an
 * invalid one (a generic user), a valid SA username, an SA-looking generic user, a plain user,
 * or `system:anonymous` (which gets `system:unauthenticated`, SPEC §7 step 5).
 */
export const WANTED_USER_CLASSES = ["generic", "node", "service-account", "anonymous", "invalid-node", "invalid-service-account"] as const;
export type WantedUserClass = (typeof WANTED_USER_CLASSES)[number];

export interface WantedUserConstraints {
  /**
   * Classes to draw from, with weights; a class missing from the record is not generated.
   * @defaultValue generic 4, node 3, service-account 3, anonymous 1, invalid-node 1, invalid-service-account 1
   */
  readonly classes?: Partial<Record<WantedUserClass, number>>;
}

const DEFAULT_CLASSES: Record<WantedUserClass, number> = {
  generic: 4,
  node: 3,
  "service-account": 3,
  anonymous: 1,
  "invalid-node": 1,
  "invalid-service-account": 1,
};

function arbitraryOf(cls: WantedUserClass): fc.Arbitrary<string> {
  switch (cls) {
    case "generic":
      return fc.constantFrom(...GENERIC_USERS);
    case "node":
      return nodeName({ validity: "valid" }).map(
        (n) => NODE_PREFIX + n,
        (u) => {
          if (typeof u !== "string" || !u.startsWith(NODE_PREFIX)) throw new Error("not a node username");
          return u.slice(NODE_PREFIX.length);
        },
      );
    case "invalid-node":
      return nodeName({ validity: "invalid" }).map(
        (n) => NODE_PREFIX + n,
        (u) => {
          if (typeof u !== "string" || !u.startsWith(NODE_PREFIX)) throw new Error("not a node username");
          return u.slice(NODE_PREFIX.length);
        },
      );
    case "service-account":
      return serviceAccountName({ validity: "valid" });
    case "invalid-service-account":
      return serviceAccountName({ validity: "invalid" });
    case "anonymous":
      return fc.constant("system:anonymous");
  }
}

/** An `Impersonate-User` value (never the requestor's own name: self-impersonation is a probe-level choice). */
export function wantedUser(constraints: WantedUserConstraints = {}): fc.Arbitrary<string> {
  const classes = constraints.classes ?? DEFAULT_CLASSES;
  const entries = WANTED_USER_CLASSES.map((c) => [c, classes[c] ?? 0] as const).filter(([, w]) => w > 0);
  for (const [c, w] of Object.entries(classes)) {
    if (!(WANTED_USER_CLASSES as readonly string[]).includes(c)) throw new RangeError(`wantedUser: unknown class ${c}`);
    if (!(Number.isFinite(w) && (w ?? 0) >= 0)) throw new RangeError(`wantedUser: weight of ${c} must be >= 0, got ${w}`);
  }
  if (entries.length === 0) throw new RangeError("wantedUser: no class has a positive weight");
  if (entries.length === 1) return arbitraryOf(entries[0]![0]);
  return fc.oneof({ withCrossShrink: true }, ...entries.map(([c, w]) => ({ arbitrary: arbitraryOf(c), weight: w })));
}
