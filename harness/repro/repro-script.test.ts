import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { loadScenarios } from "../scenario/index.ts";
import { reproScript } from "./repro-script.ts";
import { shq } from "./shell-quote.ts";

describe("reproScript", async () => {
  const catalogue = await loadScenarios(["scenarios"]);

  it("writes a script bash accepts for every catalogue scenario", () => {
    for (const l of catalogue) {
      const { script } = reproScript(l, { token: "-t3st1" });
      expect(() => execFileSync("bash", ["-n"], { input: script }), l.scenario.metadata.name).not.toThrow();
      expect(script).toContain("set -euo pipefail");
    }
  });

  it("renames what the scenario owns with the token and keeps the request paths", () => {
    const l = catalogue.find((x) => x.scenario.metadata.name === "spec-q01-check-order")!;
    const { script, token } = reproScript(l, { token: "-t3st1" });
    expect(token).toBe("-t3st1");
    expect(script).toMatch(/-t3st1/);
    expect(script).toContain(`"$SERVER"'/api/v1/namespaces/bar/pods/foo'`);
  });

  it("quotes any string for the shell", () => {
    for (const s of ["plain", "it's", "a'b'c", "$HOME `x` \\ \"q\"", ""]) {
      expect(execFileSync("bash", ["-c", `printf %s ${shq(s)}`], { encoding: "utf8" })).toBe(s);
    }
  });
});
