import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { NODE_NAME_EXTRA } from "../../core/index.ts";
import { parseScenarios } from "../../scenario/index.ts";
import { LOCAL_NAMES, PIECES, pieceById, pieceManifests, pieceRevokeRefs, sequenceNames } from "./catalogue.ts";

const live = sequenceNames("sf-abc-lmn0pq-7");

function scenarioWith(objects: unknown[]): string {
  const step = { request: { as: { user: "deputy" }, method: "GET", path: "/api/v1/namespaces/impfuzz-stateful/pods" } };
  return stringify({ apiVersion: "impfuzz/v1", kind: "Scenario", metadata: { name: "catalogue" }, spec: { objects, steps: [step] } });
}

describe("the sequence catalogue", () => {
  it("has one piece per id, associated-node only for the service account on a node", () => {
    expect(new Set(PIECES.map((p) => p.id)).size).toBe(PIECES.length);
    expect(PIECES.filter((p) => p.mode === "associated-node").every((p) => p.who === 1)).toBe(true);
    expect(pieceById("final").layer).toBe("final");
    expect(() => pieceById("nope")).toThrow(/no permission piece/);
  });

  it("grants every piece with manifests the scenario loader accepts, locally and live", () => {
    for (const names of [LOCAL_NAMES, live]) {
      expect(parseScenarios(scenarioWith(PIECES.flatMap((p) => pieceManifests(p, names))), "catalogue.yaml")).toHaveLength(1);
    }
  });

  it("revokes a piece by deleting exactly its binding", () => {
    for (const p of PIECES) {
      const [role, binding] = pieceManifests(p, live);
      const [ref] = pieceRevokeRefs(p, live);
      expect(ref).toEqual({ apiVersion: binding!.apiVersion, kind: binding!.kind, name: binding!.metadata.name, ...(binding!.metadata.namespace ? { namespace: binding!.metadata.namespace } : {}) });
      expect((binding!["roleRef"] as { name: string }).name).toBe(role!.metadata.name);
    }
  });

  it("gives every owned name of a sequence its token; the node-agent's node-name extra names the impersonated node", () => {
    const [deputy, agent] = live.requestors;
    for (const name of [deputy.username, agent.username, live.user, live.wanted.node, live.wanted.serviceaccount, live.object("final")]) {
      expect(name).toContain("-sf-abc-lmn0pq-7");
    }
    expect(agent.username).toMatch(/^system:serviceaccount:impfuzz-stateful:node-agent-sf-abc-lmn0pq-7$/);
    expect(agent.extra[NODE_NAME_EXTRA]).toEqual([live.nodeName]);
    expect(live.wanted.node).toBe(`system:node:${live.nodeName}`);
    expect(LOCAL_NAMES.requestors[0].username).toBe("deputy");
    expect(() => sequenceNames("Bad_Token")).toThrow(/DNS label/);
  });
});
