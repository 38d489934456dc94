/**
 * Stateful model-based sequences (fc.commands): grant, revoke, wait and probe against one server while
 * the oracle carries the filter's state (SPEC §7, §11). See properties/stateful.integration.test.ts.
 */
export { GrantCommand } from "./grant-command.ts";
export { RevokeCommand } from "./revoke-command.ts";
export { WaitCommand } from "./wait-command.ts";
export { ProbeCommand } from "./probe-command.ts";
export { DEFAULT_WAITS_MS, initialGrants, statefulCommands, type StatefulCommandsConstraints } from "./stateful-commands.ts";
export { TTL_WINDOW_MS, runStatefulSequence, setupSequence, type SequenceOptions } from "./run-sequence.ts";
export { clusterSystem } from "./cluster-system.ts";
export { SimulatedSystem, type SimulatedSystemOptions } from "./simulated-system.ts";
export { toScenario, type SequenceRecord, type ToScenarioOptions } from "./to-scenario.ts";
export { formatStep, type ScenarioStep } from "./format-step.ts";
export {
  LOCAL_NAMES,
  PIECES,
  REQUEST_KEYS,
  SEQUENCE_NAMESPACE,
  WANTED_KEYS,
  pieceById,
  pieceManifests,
  pieceRevokeRefs,
  sequenceNames,
  type Piece,
  type RequestKey,
  type SequenceNames,
  type WantedKey,
  type Who,
} from "./catalogue.ts";
export {
  StatefulDivergenceError,
  cacheBoundaries,
  formatStats,
  formatTranscript,
  newStatefulStats,
  type StatefulCommand,
  type StatefulCommands,
  type StatefulModel,
  type StatefulStats,
  type StatefulSystem,
  type TimedObservation,
  type TranscriptEntry,
} from "./stateful-model.ts";
