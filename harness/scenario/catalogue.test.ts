import { readFile, readdir } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isolateScenario } from "./isolate.ts";
import { type LoadedScenario, loadScenarios, parseScenarios } from "./load.ts";
import { isRequestStep } from "./schema.ts";

const CATALOGUE = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "scenarios");
const ORIGINS = ["docs", "kep", "spec-questions", "upstream"];

const loaded: LoadedScenario[] = await loadScenarios(CATALOGUE);

describe("the scenario catalogue", () => {
  it("holds only the origin folders, with YAML files only", async () => {
    const entries = await readdir(CATALOGUE, { recursive: true, withFileTypes: true });
    for (const e of entries) if (e.isFile()) expect(e.name).toMatch(/\.ya?ml$/);
    expect(entries.filter((e) => e.isDirectory() && e.parentPath === CATALOGUE).map((e) => e.name).sort()).toEqual(ORIGINS);
  });

  it.each(ORIGINS)("has scenarios from %s", (origin) => {
    expect(loaded.filter((l) => originOf(l) === origin).length).toBeGreaterThan(0);
  });

  it("parses every file on its own too (each file is valid, not only the batch)", async () => {
    for (const file of new Set(loaded.map((l) => l.file))) {
      expect(parseScenarios(await readFile(file, "utf8"), file).length).toBeGreaterThan(0);
    }
  });

  describe.each(loaded.map((l) => [l.scenario.metadata.name, l] as const))("%s", (_, l) => {
    it("names its source and origin folder", () => {
      expect(l.scenario.metadata.source).toBeTruthy();
      expect(l.scenario.metadata.description).toBeTruthy();
      expect(l.scenario.metadata.labels?.["origin"]).toBe(originOf(l));
    });

    it("expects an outcome, and checks unless Go map order decides them", () => {
      for (const step of l.scenario.spec.steps.filter(isRequestStep)) {
        expect(step.expect?.outcome).toBeDefined();
        expect(step.expect?.code).toBeDefined();
        if (l.scenario.metadata.labels?.["example"] !== "header-example") expect(step.expect?.checks).toBeDefined();
      }
    });

    it("isolates and restores exactly", () => {
      const iso = isolateScenario(l.scenario, { token: "-c4t4l" });
      expect(iso.restoreDeep(iso.scenario)).toEqual(l.scenario);
      for (const step of l.scenario.spec.steps.filter(isRequestStep)) {
        const u = step.request.as.user;
        if (!iso.kept.some((k) => k.name === u)) expect(iso.users.get(u)).toBe(`${u}-c4t4l`);
      }
    });
  });
});

function originOf(l: LoadedScenario): string {
  return relative(CATALOGUE, l.file).split(sep)[0]!;
}
