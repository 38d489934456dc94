import { z } from "zod";
import type { JournalRecord } from "../core/index.ts";
import { COMPARED_FIELDS, CONSTRAINED_MODES } from "../core/index.ts";

/**
 * The zod schema of one `divergences.jsonl` line, a JournalRecord (harness/core/divergence.ts).
 * Objects we define are strict, so a misspelt optional field (`replayy`) is an error instead of a
 * silently dropped one; objects that are Kubernetes data (manifests, request bodies) stay open.
 *
 * JSON has no `undefined`: the writer drops `path: undefined` and `firstCheckDiff: undefined`, and
 * the reader accepts them absent or `null` and gives back `undefined`, so a read record has exactly
 * the JournalRecord shape (checked at compile time at the bottom of this file).
 */

const stringList = z.array(z.string());

/** An `unknown` field that must still be present (`null` is a value; a missing key is not). */
const present = () => z.unknown().refine((v) => v !== undefined, { message: "Invalid input: expected a value, received nothing" });

/** `T | undefined` written as an absent key or `null`. */
const absentOrNull = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const userInfoSchema = z.strictObject({
  username: z.string(),
  uid: z.string(),
  groups: stringList,
  extra: z.record(z.string(), stringList),
});

const selectorRequirementSchema = z.strictObject({
  key: z.string(),
  operator: z.string(),
  values: stringList,
});

export const checkAttributesSchema = z.strictObject({
  user: userInfoSchema,
  verb: z.string(),
  resourceRequest: z.boolean(),
  namespace: z.string(),
  group: z.string(),
  version: z.string(),
  resource: z.string(),
  subresource: z.string(),
  name: z.string(),
  path: z.string(),
  fieldSelector: z.array(selectorRequirementSchema).optional(),
  labelSelector: z.array(selectorRequirementSchema).optional(),
});

export const checkSchema = z.strictObject({
  attributes: checkAttributesSchema,
  decision: z.enum(["allow", "deny", "no-opinion"]).optional(),
  decidedBy: z.enum(["privileged-groups", "webhook", "node", "rbac", "none"]).optional(),
  reason: z.string().optional(),
});

const outcomeSchema = z.enum(["allowed", "impersonation-denied", "request-denied", "bad-request"]);
const constraintSchema = z.enum(["", ...CONSTRAINED_MODES.map((m) => `impersonate:${m}` as const)]);
const modeNameSchema = z.enum([...CONSTRAINED_MODES, "legacy"]);
const comparedFieldSchema = z.enum(COMPARED_FIELDS);

const requestResultShape = {
  code: z.number().int().nullable(),
  outcome: outcomeSchema,
  message: z.string().nullable(),
  checks: z.array(checkSchema),
  user: userInfoSchema.nullable(),
  constraint: constraintSchema,
};

export const predictionSchema = z.strictObject({
  ...requestResultShape,
  mode: modeNameSchema.nullable(),
  indeterminate: z.array(
    z.strictObject({
      field: z.enum(["code", "message", "checks", "user", "outcome"]),
      reason: z.string(),
    }),
  ),
});

export const observedResultSchema = z.strictObject({
  ...requestResultShape,
  auditId: z.string(),
});

export const httpRequestSchema = z.strictObject({
  method: z.string().min(1),
  path: z.string(),
  headers: z.array(z.tuple([z.string(), z.string()])),
  body: z.unknown().optional(),
});

/** Kubernetes objects keep every field the generator put in them. */
export const manifestSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
});

export const caseProbeSchema = z.strictObject({
  requestor: userInfoSchema,
  request: httpRequestSchema,
});

export const fuzzCaseSchema = z.strictObject({
  id: z.string(),
  objects: z.array(manifestSchema),
  probes: z.array(caseProbeSchema),
});

export const fieldDiffSchema = z.strictObject({
  field: comparedFieldSchema,
  predicted: present(),
  observed: present(),
});

export const firstCheckDiffSchema = z.strictObject({
  index: z.number().int().nonnegative(),
  predicted: checkAttributesSchema.nullable(),
  observed: checkAttributesSchema.nullable(),
  fields: stringList,
});

export const comparisonSchema = z.strictObject({
  diffs: z.array(fieldDiffSchema),
  firstCheckDiff: absentOrNull(firstCheckDiffSchema),
  skipped: z.array(z.strictObject({ field: comparedFieldSchema, reason: z.string() })),
  classification: z.string(),
});

export const journalRecordSchema = z
  .strictObject({
    kind: z.enum(["divergence", "flake"]),
    runId: z.string().min(1),
    recordedAt: z.string(),
    kubeVersion: z.string(),
    gate: z.boolean(),
    seed: z.number().int(),
    path: absentOrNull(z.string()),
    case: fuzzCaseSchema,
    probeIndex: z.number().int().nonnegative(),
    probe: caseProbeSchema,
    predicted: predictionSchema,
    observed: observedResultSchema,
    comparison: comparisonSchema,
    replay: observedResultSchema.optional(),
    originalSize: z.strictObject({ objects: z.number().int().nonnegative(), probes: z.number().int().nonnegative() }).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.probeIndex >= r.case.probes.length) {
      ctx.addIssue({
        code: "custom",
        path: ["probeIndex"],
        message: `${r.probeIndex} is past the end of case.probes (${r.case.probes.length} probes)`,
      });
    }
  });

// Compile-time guarantee that a parsed line is a JournalRecord; a change to the core type that the
// schema does not follow breaks the type check here rather than a replay at run time.
const _parsedIsRecord = (parsed: z.output<typeof journalRecordSchema>): JournalRecord => parsed;
void _parsedIsRecord;

/** `comparison.diffs[0].field`, `(record)` for the whole line. */
export function issuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === "" ? "(record)" : out;
}

/** The first problem of a failed parse as `field: message`, with a count of the rest, on one line. */
export function describeIssues(error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  if (first === undefined) return "invalid record";
  const text = `${issuePath(first.path)}: ${first.message}`.replace(/\s+/g, " ");
  return rest.length === 0 ? text : `${text} (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})`;
}
