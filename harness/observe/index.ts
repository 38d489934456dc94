export { observeProbe, outcomeOf, type Probe } from "./observe-probe.ts";
export type { Observation } from "./observation.ts";
