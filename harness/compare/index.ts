export { compare, classify } from "./compare.ts";
export { checkAttributeDiffs, firstCheckDiff, sameUser, userDiffs } from "./check-diff.ts";
