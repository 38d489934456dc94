export { finishProbe, observeProbe, outcomeOf, sendProbe, type Probe, type SentProbe } from "./observe-probe.ts";
export type { Observation } from "./observation.ts";
