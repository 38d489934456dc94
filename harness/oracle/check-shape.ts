/**
 * A check's shape: the part of its attributes RBAC selects candidate rules by — the verb, and the
 * resource of a resource check (a non-resource check has none) — interned to a small integer.
 *
 * Why: RBAC looked its candidate rules up by verb, then by resource, once per binding set, for every
 * check: two to five Map probes per check, some 7% of a decision's instructions. But every check's verb and
 * resource are known before any user is: they come from the mode (`impersonate:<mode>` on `users`,
 * `groups`, …) or from the request (its verb, `impersonate-on:<mode>:<verb>`, its resource). So the filter
 * model gives each check the shape it worked out once, and the RBAC index keeps its lists in arrays
 * indexed by shape. A shape is only a key: the lists it selects are the ones the verb and resource
 * select, and the answer is the same with or without it (`NO_SHAPE` takes the Map path).
 *
 * Shapes are process-wide and never reused, so a shape means the same pair in every World's index.
 * Their number is bounded: past `MAX_SHAPES` distinct pairs (a fuzz run with arbitrary verbs and
 * resources), new pairs get `NO_SHAPE`.
 */
export type CheckShape = number;

/** No shape: the authorizer finds the check's rules by its verb and resource. */
export const NO_SHAPE: CheckShape = -1;

/** The most distinct shapes handed out; RBAC's per-shape arrays never grow past this. */
export const MAX_SHAPES = 8192;

export interface ShapeParts {
  readonly verb: string;
  readonly resourceRequest: boolean;
  /** "" for non-resource checks. */
  readonly resource: string;
}

/** Resource checks: verb → resource → shape. Non-resource checks: verb → shape. */
const resourceShapes = new Map<string, Map<string, CheckShape>>();
const nonResourceShapes = new Map<string, CheckShape>();
const parts: ShapeParts[] = [];

/** The shape of checks with this verb and (for a resource check) resource. Made once per caller: a Map lookup or two. */
export function checkShape(verb: string, resourceRequest: boolean, resource: string): CheckShape {
  let byResource: Map<string, CheckShape> | undefined;
  if (resourceRequest) {
    byResource = resourceShapes.get(verb);
    const known = byResource?.get(resource);
    if (known !== undefined) return known;
  } else {
    const known = nonResourceShapes.get(verb);
    if (known !== undefined) return known;
  }
  if (parts.length >= MAX_SHAPES) return NO_SHAPE;
  const shape = parts.length;
  parts.push({ verb, resourceRequest, resource: resourceRequest ? resource : "" });
  if (!resourceRequest) nonResourceShapes.set(verb, shape);
  else {
    if (byResource === undefined) resourceShapes.set(verb, (byResource = new Map()));
    byResource.set(resource, shape);
  }
  return shape;
}

/** What `shape` stands for. */
export function shapeParts(shape: CheckShape): ShapeParts {
  const p = parts[shape];
  if (p === undefined) throw new Error(`impfuzz oracle: unknown check shape ${shape}`);
  return p;
}
