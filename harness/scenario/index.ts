/**
 * The `impfuzz/v1` scenario format: schema and types, the YAML loader (file:line errors), the
 * client-go encoding of impersonation headers, and per-run isolation on a shared server.
 */
export {
  CONSTRAINTS,
  OUTCOMES,
  SCENARIO_API_VERSION,
  STEP_KINDS,
  expectationSchema,
  isRequestStep,
  messageMatches,
  scenarioSchema,
  stepKind,
  stepSchema,
  type ApplyStep,
  type DeleteStep,
  type ExpectedCheck,
  type ExpectedMessage,
  type ExpectedUser,
  type Expectation,
  type Impersonation,
  type RequestStep,
  type Requestor,
  type Scenario,
  type ScenarioInput,
  type ScenarioRequest,
  type ScenarioSpec,
  type Step,
  type StepKind,
  type WaitStep,
} from "./schema.ts";
export { RBAC_KINDS, isRbacManifest, manifestSchema, objectRefSchema, type Manifest, type ObjectRef } from "./manifest-schema.ts";
export { loadScenarios, parseScenarios, scenarioFiles, type LoadedScenario } from "./load.ts";
export {
  IMPERSONATE_EXTRA_PREFIX,
  IMPERSONATE_GROUP,
  IMPERSONATE_UID,
  IMPERSONATE_USER,
  canonicalHeaderKey,
  encodeImpersonation,
  headerKeyEscape,
  toHttpRequest,
} from "./encode-impersonation.ts";
export { isolateScenario, makeIsolationToken, type IsolateOptions, type Isolation, type KeptName } from "./isolate.ts";
export { VersionRangeError, compareVersions, parseVersion, parseVersionRange, versionSatisfies, type Version, type VersionRange } from "./version-range.ts";
export { isDuration, parseDuration } from "./duration.ts";
