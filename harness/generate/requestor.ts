import fc from "fast-check";
import { NODE_NAME_EXTRA, POOL_NAMESPACES, REQUESTOR_GROUPS, REQUESTOR_OTHER_EXTRAS, REQUESTOR_UIDS } from "./_internals/vocabulary.ts";
import { rarely } from "./_internals/helpers/weighted.ts";
import { nodeName } from "./node-name.ts";

/**
 * `user`: a plain username. `service-account`: `system:serviceaccount:<pool ns>:<name>`, the only
 * requestor associated-node accepts (SPEC §6, §8). `invalid-service-account`: SA-looking but not a
 * valid SA username (so associated-node never applies to it).
 */
export const REQUESTOR_KINDS = ["user", "service-account", "invalid-service-account"] as const;
export type RequestorKind = (typeof REQUESTOR_KINDS)[number];

export const INVALID_REQUESTOR_SHAPES = ["missing-namespace", "upper-namespace", "three-parts"] as const;
export type InvalidRequestorShape = (typeof INVALID_REQUESTOR_SHAPES)[number];

/**
 * The shape of a requestor without its name: the case gives each probe its own name (`r<i>`), so
 * the same shape can stand for any probe. `requestorUserInfo` (in `fuzz-case`) puts the two together.
 */
export interface RequestorSpec {
  readonly kind: RequestorKind;
  /** The SA namespace (a pool namespace); ignored for plain users. */
  readonly namespace: string;
  /** How an `invalid-service-account` name is malformed; ignored otherwise. */
  readonly invalidShape: InvalidRequestorShape;
  readonly uid: string;
  /** Case-local groups (`rg-*`) and, rarely, `system:masters` (passes every check, SPEC §2). */
  readonly groups: readonly string[];
  /** Credential extras: 0–2 `authentication.kubernetes.io/node-name` values, node-uid, others. */
  readonly extra: Readonly<Record<string, readonly string[]>>;
}

export interface RequestorConstraints {
  /**
   * Kinds with weights; a kind missing from the record is not generated.
   * @defaultValue user 5, service-account 4, invalid-service-account 1
   */
  readonly kinds?: Partial<Record<RequestorKind, number>>;
  /**
   * One requestor in `mastersOneIn` is in `system:masters`; 0 never.
   * @defaultValue 40
   */
  readonly mastersOneIn?: number;
  /**
   * Whether random node-name extras (0–2 values) may appear. Probes aiming at associated-node set
   * the extra themselves.
   * @defaultValue true
   */
  readonly nodeNameExtras?: boolean;
}

type OtherExtra = (typeof REQUESTOR_OTHER_EXTRAS)[number];

interface RequestorParts {
  readonly kind: RequestorKind;
  readonly namespace: string;
  readonly invalidShape: InvalidRequestorShape;
  readonly uid: string;
  readonly groups: readonly string[];
  readonly masters: boolean;
  readonly nodeNames: readonly string[];
  readonly otherExtras: readonly OtherExtra[];
}

function partsToSpec(p: RequestorParts): RequestorSpec {
  const extra: Record<string, readonly string[]> = {};
  if (p.nodeNames.length > 0) extra[NODE_NAME_EXTRA] = p.nodeNames;
  for (const [k, v] of p.otherExtras) extra[k] = v;
  return {
    kind: p.kind,
    namespace: p.namespace,
    invalidShape: p.invalidShape,
    uid: p.uid,
    groups: p.masters ? [...p.groups, "system:masters"] : p.groups,
    extra,
  };
}

function specToParts(value: unknown): RequestorParts {
  const s = value as RequestorSpec;
  if (typeof s !== "object" || s === null || !(REQUESTOR_KINDS as readonly string[]).includes(s.kind)) throw new Error("not a RequestorSpec");
  const masters = s.groups.includes("system:masters");
  const otherExtras = REQUESTOR_OTHER_EXTRAS.filter(([k]) => k in s.extra);
  const parts: RequestorParts = {
    kind: s.kind,
    namespace: s.namespace,
    invalidShape: s.invalidShape,
    uid: s.uid,
    groups: s.groups.filter((g) => g !== "system:masters"),
    masters,
    nodeNames: s.extra[NODE_NAME_EXTRA] ?? [],
    otherExtras,
  };
  if (JSON.stringify(partsToSpec(parts)) !== JSON.stringify(s)) throw new Error("RequestorSpec does not round-trip");
  return parts;
}

/** The shape of an authenticated requestor (name assigned by the case). */
export function requestor(constraints: RequestorConstraints = {}): fc.Arbitrary<RequestorSpec> {
  const kinds = constraints.kinds ?? { user: 5, "service-account": 4, "invalid-service-account": 1 };
  const mastersOneIn = constraints.mastersOneIn ?? 40;
  if (!(Number.isInteger(mastersOneIn) && mastersOneIn >= 0)) throw new RangeError(`requestor: mastersOneIn must be an integer >= 0, got ${mastersOneIn}`);
  const kindEntries = REQUESTOR_KINDS.map((k) => [k, kinds[k] ?? 0] as const).filter(([, w]) => w > 0);
  for (const [k, w] of Object.entries(kinds)) {
    if (!(Number.isFinite(w) && (w ?? 0) >= 0)) throw new RangeError(`requestor: weight of ${k} must be >= 0, got ${w}`);
  }
  if (kindEntries.length === 0) throw new RangeError("requestor: no kind has a positive weight");
  const kindArb = fc.oneof({ withCrossShrink: true }, ...kindEntries.map(([k, w]) => ({ arbitrary: fc.constant(k), weight: w })));
  const nodeNames =
    constraints.nodeNameExtras === false
      ? fc.array(nodeName(), { maxLength: 0 })
      : fc.oneof(
          { withCrossShrink: true },
          { arbitrary: fc.array(nodeName(), { maxLength: 0 }), weight: 7 },
          { arbitrary: fc.array(nodeName(), { minLength: 1, maxLength: 1 }), weight: 2 },
          { arbitrary: fc.array(nodeName(), { minLength: 2, maxLength: 2 }), weight: 1 },
        );
  const parts: fc.Arbitrary<RequestorParts> = fc.record({
      kind: kindArb,
      namespace: fc.constantFrom(...POOL_NAMESPACES),
      invalidShape: fc.constantFrom(...INVALID_REQUESTOR_SHAPES),
      uid: fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(""), weight: 3 }, { arbitrary: fc.constantFrom(...REQUESTOR_UIDS), weight: 1 }),
      groups: fc.oneof({ withCrossShrink: true }, { arbitrary: fc.subarray([...REQUESTOR_GROUPS], { maxLength: 0 }), weight: 1 }, { arbitrary: fc.subarray([...REQUESTOR_GROUPS], { minLength: 1 }), weight: 1 }),
      masters: mastersOneIn === 0 ? fc.constant(false) : rarely(mastersOneIn),
      nodeNames,
      otherExtras: fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.subarray([...REQUESTOR_OTHER_EXTRAS], { maxLength: 0 }), weight: 2 },
        { arbitrary: fc.subarray([...REQUESTOR_OTHER_EXTRAS]), weight: 1 },
      ),
    });
  return parts.map(partsToSpec, specToParts);
}
