export { compare, classify } from "./compare.ts";
export { checkAttributeDiffs, firstCheckDiff, sameUser, userDiffs } from "./check-diff.ts";
export { compareInWindow, windowTimes, type TimeWindow, type TimedPredictor, type WindowCandidate, type WindowedComparison } from "./compare-in-window.ts";
