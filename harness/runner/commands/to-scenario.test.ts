import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseScenarios } from "../../scenario/index.ts";
import { pieceById } from "./catalogue.ts";
import { GrantCommand } from "./grant-command.ts";
import { ProbeCommand } from "./probe-command.ts";
import { RevokeCommand } from "./revoke-command.ts";
import type { StatefulCommand } from "./stateful-model.ts";
import { toScenario } from "./to-scenario.ts";
import { WaitCommand } from "./wait-command.ts";

const commands: StatefulCommand[] = [
  new GrantCommand(pieceById("as-user-info-deputy")),
  new ProbeCommand(0, "user", "get-foo"),
  new RevokeCommand(pieceById("as-user-info-deputy")),
  new WaitCommand(11_000),
  new WaitCommand(500),
  new ProbeCommand(1, "node", "list"),
];

describe("commands print as scenario steps", () => {
  it("toString is one YAML line that parses back to the step", () => {
    for (const c of commands) {
      const line = c.toString();
      expect(line).not.toContain("\n");
      expect(line.startsWith("- ")).toBe(true);
      expect(parse(line)).toEqual([c.step()]);
    }
    expect(new WaitCommand(11_000).toString()).toBe("- wait: 11s");
    expect(new WaitCommand(500).toString()).toBe("- wait: 500ms");
    expect(new ProbeCommand(0, "user", "get-foo").toString()).toBe(
      "- request: {as: {user: deputy}, impersonate: {user: bob}, method: GET, path: /api/v1/namespaces/impfuzz-stateful/pods/foo}",
    );
    expect(() => new WaitCommand(-1)).toThrow(RangeError);
    // no YAML anchors: each line stands alone
    expect(new GrantCommand(pieceById("final")).toString()).not.toMatch(/[&*]a\d/);
  });

  it("a sequence becomes a valid impfuzz/v1 scenario, the last probe expecting what the server did", () => {
    const suffix = "-sf-x-1";
    const text = toScenario(
      {
        initial: [pieceById("on-user-info-get-deputy")],
        transcript: commands.map((c, i) => ({ step: c.step(), ...(i === 5 ? { note: "t=11.2s: 403 impersonation-denied" } : {}) })),
        lastObserved: {
          suffix,
          result: {
            code: 403,
            outcome: "impersonation-denied",
            message: `pods is forbidden: User "system:serviceaccount:impfuzz-stateful:node-agent${suffix}" cannot impersonate-on:associated-node:list …`,
            checks: [],
            user: null,
            constraint: "",
          },
        },
      },
      { name: "from-a-sequence" },
    );
    const [loaded] = parseScenarios(text, "from-a-sequence.yaml");
    const s = loaded!.scenario;
    expect(s.spec.objects.map((o) => o.kind)).toEqual(["Role", "RoleBinding"]);
    expect(s.spec.steps.map((st) => Object.keys(st).filter((k) => k !== "name" && k !== "expect")[0])).toEqual(["apply", "request", "delete", "wait", "wait", "request"]);
    const last = s.spec.steps[5]!;
    expect(last.name).toBe("t=11.2s: 403 impersonation-denied");
    expect("expect" in last && last.expect?.message).toBe(`pods is forbidden: User "system:serviceaccount:impfuzz-stateful:node-agent" cannot impersonate-on:associated-node:list …`);
    expect(text).not.toContain(suffix);
  });
});
