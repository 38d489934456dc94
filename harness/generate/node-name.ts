import fc from "fast-check";
import { INVALID_NODE_NAMES, VALID_NODE_NAMES } from "./_internals/vocabulary.ts";

export interface NodeNameConstraints {
  /**
   * `valid`: DNS-1123 subdomains (`system:node:<it>` is a node username); `invalid`: names that make
   * `system:node:<it>` a generic user (`Node1`, `""`, `a:b`, …, SPEC §6/§16.5); `any`: both, valid
   * ones four times as likely.
   * @defaultValue "valid"
   */
  readonly validity?: "valid" | "invalid" | "any";
}

/**
 * A node name, the part after `system:node:`. Node names are impersonation targets and extras values,
 * never renamed: the same few names recur so requestors' node-name extras meet the nodes impersonated.
 */
export function nodeName(constraints: NodeNameConstraints = {}): fc.Arbitrary<string> {
  const validity = constraints.validity ?? "valid";
  if (!["valid", "invalid", "any"].includes(validity)) throw new RangeError(`nodeName: validity must be valid|invalid|any, got ${validity}`);
  const valid = fc.constantFrom(...VALID_NODE_NAMES);
  const invalid = fc.constantFrom(...INVALID_NODE_NAMES);
  if (validity === "valid") return valid;
  if (validity === "invalid") return invalid;
  return fc.oneof({ withCrossShrink: true }, { arbitrary: valid, weight: 4 }, { arbitrary: invalid, weight: 1 });
}
