import { stringify } from "yaml";

/** One `impfuzz/v1` step as plain data (`request`, `apply`, `delete` or `wait`, with an optional `name`). */
export type ScenarioStep = Readonly<Record<string, unknown>>;

const FLOW = { collectionStyle: "flow", flowCollectionPadding: false, lineWidth: 0 } as const;

/**
 * A step as one line of a scenario's `steps:` list: `- wait: 11s`, `- request: {as: {user: deputy}, …}`,
 * or `- {name: …, apply: […]}` when it has a name too. The line is YAML that parses back to the step.
 */
export function formatStep(step: ScenarioStep): string {
  const keys = Object.keys(step);
  if (keys.length === 1) return `- ${stringify({ [keys[0]!]: step[keys[0]!] }, FLOW).trim().replace(/^\{(.*)\}$/s, "$1")}`;
  return `- ${stringify(step, FLOW).trim()}`;
}
