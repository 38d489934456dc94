import { z } from "zod";
import type { Constraint, Outcome } from "../core/index.ts";
import { isDuration } from "./duration.ts";
import { manifestSchema, objectRefSchema } from "./manifest-schema.ts";
import { parseVersionRange } from "./version-range.ts";

/**
 * The `impfuzz/v1` scenario format (/work/shared/SCENARIO-FORMAT.md) as a zod schema. Field names are
 * the contract. Every object is strict, so a misspelt field is an error with its line instead of an
 * expectation that silently never runs; the optional fields impfuzz adds on top of the contract
 * (`metadata.labels`, `spec.notes`) are declared here like any other.
 */

export const SCENARIO_API_VERSION = "impfuzz/v1";

export const OUTCOMES = ["allowed", "impersonation-denied", "request-denied", "bad-request"] as const satisfies readonly Outcome[];

export const CONSTRAINTS = [
  "",
  "impersonate:associated-node",
  "impersonate:arbitrary-node",
  "impersonate:serviceaccount",
  "impersonate:user-info",
] as const satisfies readonly Constraint[];

/** HTTP token characters (RFC 9110 §5.6.2): what a header name may contain. */
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const stringList = z.array(z.string());
const extraSchema = z.record(z.string(), stringList);

/** `request.as`: the authenticated requestor; the harness mints a credential for exactly this identity. */
export const requestorSchema = z.strictObject({
  user: z.string().min(1),
  uid: z.string().optional(),
  groups: stringList.optional(),
  extra: extraSchema.optional(),
});

/** `request.impersonate`: what the client asks to become, sent as `Impersonate-*` headers. */
export const impersonationSchema = z.strictObject({
  user: z.string().optional(),
  uid: z.string().optional(),
  groups: stringList.optional(),
  extra: extraSchema.optional(),
});

export const scenarioRequestSchema = z.strictObject({
  as: requestorSchema,
  impersonate: impersonationSchema.optional(),
  headers: z.record(z.string().regex(HEADER_NAME_RE), stringList).optional(),
  method: z.string().regex(/^[A-Z]+$/),
  path: z.string().startsWith("/"),
  body: z.json().optional(),
});

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

export const expectedMessageSchema = z.union([
  z.string(),
  z.strictObject({ contains: z.string() }),
  z.strictObject({ regex: z.string().refine(compiles, { message: "is not a valid regular expression" }) }),
]);

/** A check compares only the fields it names; `""` (e.g. the core group) and absent differ. */
export const expectedCheckSchema = z.strictObject({
  user: z.string().optional(),
  verb: z.string().optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  resource: z.string().optional(),
  subresource: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  path: z.string().optional(),
});

export const expectedUserSchema = z.strictObject({
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: stringList.optional(),
  extra: extraSchema.optional(),
});

export const expectationSchema = z.strictObject({
  code: z.int().min(100).max(599).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  message: expectedMessageSchema.optional(),
  user: expectedUserSchema.optional(),
  constraint: z.enum(CONSTRAINTS).optional(),
  checks: z.array(expectedCheckSchema).optional(),
});

export const requestStepSchema = z.strictObject({
  name: z.string().optional(),
  request: scenarioRequestSchema,
  expect: expectationSchema.optional(),
});

export const applyStepSchema = z.strictObject({
  name: z.string().optional(),
  apply: z.array(manifestSchema).min(1),
});

export const deleteStepSchema = z.strictObject({
  name: z.string().optional(),
  delete: z.array(objectRefSchema).min(1),
});

export const waitStepSchema = z.strictObject({
  name: z.string().optional(),
  wait: z.string().refine(isDuration, { message: "is not a duration" }),
});

/** The key that says which kind a step is; exactly one must be present. */
export const STEP_KINDS = ["request", "apply", "delete", "wait"] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Union order follows STEP_KINDS so that the loader can pick the branch a step meant. */
export const stepSchema = z.union([requestStepSchema, applyStepSchema, deleteStepSchema, waitStepSchema]);

export const versionRangeSchema = z.string().superRefine((range, ctx) => {
  try {
    parseVersionRange(range);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
  }
});

export const scenarioMetadataSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().optional(),
  source: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const scenarioSpecSchema = z.strictObject({
  versions: versionRangeSchema.optional(),
  gate: z.boolean().default(true),
  objects: z.array(manifestSchema).default([]),
  steps: z.array(stepSchema).min(1),
  notes: z.string().optional(),
});

export const scenarioSchema = z.strictObject({
  apiVersion: z.literal(SCENARIO_API_VERSION),
  kind: z.literal("Scenario"),
  metadata: scenarioMetadataSchema,
  spec: scenarioSpecSchema,
});

export type Scenario = z.output<typeof scenarioSchema>;
/** What a file may omit (`gate`, `objects` have defaults). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ScenarioSpec = Scenario["spec"];
export type Step = z.output<typeof stepSchema>;
export type RequestStep = z.output<typeof requestStepSchema>;
export type ApplyStep = z.output<typeof applyStepSchema>;
export type DeleteStep = z.output<typeof deleteStepSchema>;
export type WaitStep = z.output<typeof waitStepSchema>;
export type ScenarioRequest = z.output<typeof scenarioRequestSchema>;
export type Requestor = z.output<typeof requestorSchema>;
export type Impersonation = z.output<typeof impersonationSchema>;
export type Expectation = z.output<typeof expectationSchema>;
export type ExpectedCheck = z.output<typeof expectedCheckSchema>;
export type ExpectedUser = z.output<typeof expectedUserSchema>;
export type ExpectedMessage = z.output<typeof expectedMessageSchema>;

export function stepKind(step: Step): StepKind {
  if ("request" in step) return "request";
  if ("apply" in step) return "apply";
  if ("delete" in step) return "delete";
  return "wait";
}

export function isRequestStep(step: Step): step is RequestStep {
  return "request" in step;
}

/** Whether an observed Status message satisfies an expected one. */
export function messageMatches(expected: ExpectedMessage, actual: string): boolean {
  if (typeof expected === "string") return expected === actual;
  if ("contains" in expected) return actual.includes(expected.contains);
  return new RegExp(expected.regex).test(actual);
}
