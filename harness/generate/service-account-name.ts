import fc from "fast-check";
import { SA_PREFIX } from "./_internals/helpers/usernames.ts";
import { POOL_NAMESPACES, SERVICE_ACCOUNT_NAMES, SHARED_NAMESPACES } from "./_internals/vocabulary.ts";

export interface ServiceAccountNameConstraints {
  /**
   * `valid`: `system:serviceaccount:<ns>:<name>` with a DNS label and a DNS subdomain (SplitUsername);
   * `invalid`: SA-looking names the filter treats as generic users (no name, three parts, upper case,
   * empty namespace; SPEC §6/§16.5); `any`: both, valid four times as likely.
   * @defaultValue "valid"
   */
  readonly validity?: "valid" | "invalid" | "any";
  /**
   * Namespaces to draw from. The pool namespaces are renamed per case; `default`/`kube-system` are not.
   * @defaultValue the pool namespaces and, at weight 1 in 6, the shared ones
   */
  readonly namespaces?: readonly string[];
}

/** The shapes of invalid SA usernames, simplest first. */
const INVALID_SHAPES = ["missing-name", "three-parts", "upper-name", "upper-namespace", "empty-namespace"] as const;
type Shape = "valid" | (typeof INVALID_SHAPES)[number];

function partsToUsername([shape, ns, name]: readonly [Shape, string, string]): string {
  switch (shape) {
    case "valid":
      return `${SA_PREFIX}${ns}:${name}`;
    case "missing-name":
      return `${SA_PREFIX}${ns}`;
    case "three-parts":
      return `${SA_PREFIX}${ns}:${name}:x`;
    case "upper-name":
      return `${SA_PREFIX}${ns}:${name.toUpperCase()}`;
    case "upper-namespace":
      return `${SA_PREFIX}${ns.toUpperCase()}:${name}`;
    case "empty-namespace":
      return `${SA_PREFIX}:${name}`;
  }
}

function usernameToParts(value: unknown): readonly [Shape, string, string] {
  if (typeof value !== "string" || !value.startsWith(SA_PREFIX)) throw new Error("not a service-account username");
  const parts = value.slice(SA_PREFIX.length).split(":");
  const [ns = "", name = ""] = parts;
  let candidate: readonly [Shape, string, string];
  if (parts.length === 1) candidate = ["missing-name", ns, SERVICE_ACCOUNT_NAMES[0]];
  else if (parts.length === 3 && parts[2] === "x") candidate = ["three-parts", ns, name];
  else if (parts.length !== 2) throw new Error("unknown service-account username shape");
  else if (ns === "") candidate = ["empty-namespace", POOL_NAMESPACES[0], name];
  else if (ns !== ns.toLowerCase()) candidate = ["upper-namespace", ns.toLowerCase(), name];
  else if (name !== name.toLowerCase()) candidate = ["upper-name", ns, name.toLowerCase()];
  else candidate = ["valid", ns, name];
  if (partsToUsername(candidate) !== value) throw new Error("service-account username does not round-trip");
  return candidate;
}

/**
 * A service-account username, valid or SA-looking. Built as a tuple (shape, namespace, name)
 * mapped to the string; the unmapper parses it back, so hand-written examples shrink too.
 */
export function serviceAccountName(constraints: ServiceAccountNameConstraints = {}): fc.Arbitrary<string> {
  const validity = constraints.validity ?? "valid";
  if (!["valid", "invalid", "any"].includes(validity)) throw new RangeError(`serviceAccountName: validity must be valid|invalid|any, got ${validity}`);
  if (constraints.namespaces !== undefined && constraints.namespaces.length === 0) throw new RangeError("serviceAccountName: namespaces must not be empty");
  const nsArb = constraints.namespaces
    ? fc.constantFrom(...constraints.namespaces)
    : fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constantFrom(...POOL_NAMESPACES), weight: 5 }, { arbitrary: fc.constantFrom(...SHARED_NAMESPACES), weight: 1 });
  const valid = fc.constant<Shape>("valid");
  const invalid = fc.constantFrom<Shape>(...INVALID_SHAPES);
  const shapeArb =
    validity === "valid" ? valid : validity === "invalid" ? invalid : fc.oneof({ withCrossShrink: true }, { arbitrary: valid, weight: 4 }, { arbitrary: invalid, weight: 1 });
  const parts: fc.Arbitrary<readonly [Shape, string, string]> = fc.tuple(shapeArb, nsArb, fc.constantFrom<string>(...SERVICE_ACCOUNT_NAMES));
  return parts.map(partsToUsername, usernameToParts);
}
