import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScenarioInvalidError } from "../core/index.ts";
import { loadScenarios, parseScenarios, scenarioFiles } from "./load.ts";

/** A valid scenario whose steps (indented as list items under `steps:`) are given. */
function doc(name: string, steps: string, specExtra = ""): string {
  return [
    "apiVersion: impfuzz/v1",
    "kind: Scenario",
    "metadata:",
    `  name: ${name}`,
    `spec:${specExtra}`,
    "  steps:",
    steps,
  ].join("\n");
}
const GET = `    - request:
        as: {user: alice}
        method: GET
        path: /api/v1/namespaces/bar/pods/foo`;

function errorOf(f: () => unknown): ScenarioInvalidError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioInvalidError);
    return e as ScenarioInvalidError;
  }
  throw new Error("expected a ScenarioInvalidError");
}

describe("parseScenarios", () => {
  it("loads a multi-document stream, skipping empty documents, with lines", () => {
    const text = `${doc("one", GET)}\n---\n---\n${doc("two", `${GET}\n    - wait: 11s`)}\n`;
    const loaded = parseScenarios(text, "s.yaml");
    expect(loaded.map((l) => [l.scenario.metadata.name, l.line, l.index, l.nameLine])).toEqual([
      ["one", 1, 0, 4],
      ["two", 13, 2, 16],
    ]);
    expect(loaded[1]!.stepLines).toEqual([19, 23]);
  });

  const cases: [string, string, string][] = [
    [
      "an unknown outcome",
      doc("t", `${GET}\n      expect:\n        outcome: denied`),
      "f.yaml:12: spec.steps[0].expect.outcome: must be one of allowed, impersonation-denied, request-denied, bad-request (got \"denied\")",
    ],
    [
      "a missing path",
      doc("t", "    - request:\n        as: {user: alice}\n        method: GET"),
      "f.yaml:7: spec.steps[0].request.path: is required: the URL path to send, e.g. path: /api/v1/namespaces/default/pods",
    ],
    [
      "a wrong type",
      doc("t", "    - request:\n        as: {user: alice, groups: devs}\n        method: GET\n        path: /"),
      "f.yaml:8: spec.steps[0].request.as.groups: must be a list, not the string \"devs\" (write a list: [devs])",
    ],
    [
      "a misspelt field",
      doc("t", `${GET}\n      expect:\n        outcom: allowed`),
      "f.yaml:12: spec.steps[0].expect.outcom: unknown field \"outcom\" (did you mean \"outcome\"?): remove it or fix its spelling",
    ],
    [
      "an unquoted number where a string belongs",
      doc("t", `${GET}\n        impersonate: {user: bob, extra: {example.com/k: [5]}}`),
      "f.yaml:11: spec.steps[0].request.impersonate.extra[\"example.com/k\"][0]: must be a string, not the number 5 (quote it: \"5\")",
    ],
    [
      "a step of no kind",
      doc("t", "    - name: nothing"),
      "f.yaml:7: spec.steps[0]: a step needs exactly one of request, apply, delete, wait (found none)",
    ],
    [
      "a bad duration",
      doc("t", "    - wait: soon"),
      "f.yaml:7: spec.steps[0].wait: is not a duration: write a number with a unit, e.g. 11s, 500ms or 1m30s",
    ],
    [
      "a bad version range",
      doc("t", GET, '\n  versions: "1.x.3"'),
      'f.yaml:6: spec.versions: "1.x.3": "1.x.3" has a number after a wildcard',
    ],
    [
      "a misspelt RBAC field",
      doc("t", GET, "\n  objects:\n    - apiVersion: rbac.authorization.k8s.io/v1\n      kind: ClusterRole\n      metadata: {name: r}\n      rules:\n        - {verbs: [get], resource: [pods]}"),
      'f.yaml:11: spec.objects[0].rules[0].resource: unknown field "resource" (did you mean "resources"?): remove it or fix its spelling',
    ],
    [
      "a bad metadata.name",
      doc("Bad_Name", GET),
      'f.yaml:4: metadata.name: must contain only lower-case letters, digits and "-" (got "Bad_Name")',
    ],
    [
      "a contradictory expectation",
      doc("t", `${GET}\n      expect: {outcome: bad-request, code: 403}`),
      "f.yaml:11: spec.steps[0].expect.code: outcome bad-request answers 400, not 403: fix one of them (and 1 more problem in this document)",
    ],
    [
      "a delete of an object the scenario did not create",
      doc("t", `${GET}\n    - delete: [{apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, name: cluster-admin}]`),
      "f.yaml:11: spec.steps[1].delete[0]: ClusterRole cluster-admin is not created by this scenario (spec.objects or an earlier apply step): only delete what the scenario creates, other objects are shared by every scenario",
    ],
    [
      "a YAML syntax error",
      "apiVersion: impfuzz/v1\nkind: [Scenario\nmetadata: {}\n",
      "f.yaml:3: (yaml): Flow sequence in block collection must be sufficiently indented and end with a ] (BAD_INDENT): fix the YAML syntax",
    ],
    [
      "a duplicate key",
      `${doc("t", GET)}\nkind: Scenario\n`,
      "f.yaml:11: (yaml): Map keys must be unique (DUPLICATE_KEY): fix the YAML syntax",
    ],
  ];
  it.each(cases)("reports %s with file, line, field and fix", (_, text, message) => {
    expect(errorOf(() => parseScenarios(text, "f.yaml")).message).toBe(message);
  });

  it("exposes file, line and field on the error", () => {
    const e = errorOf(() => parseScenarios(doc("t", `${GET}\n      expect:\n        outcome: denied`), "f.yaml"));
    expect([e.file, e.line, e.field, e.code, e.exitCode]).toEqual(["f.yaml", 12, "spec.steps[0].expect.outcome", "E_SCENARIO", 2]);
  });
});

describe("loadScenarios", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "impfuzz-scenarios-"));
    await mkdir(join(dir, "b", "deep"), { recursive: true });
    await mkdir(join(dir, ".hidden"));
    await writeFile(join(dir, "b", "deep", "z.yml"), doc("z", GET));
    await writeFile(join(dir, "b", "a.yaml"), `${doc("a1", GET)}\n---\n${doc("a2", GET)}\n`);
    await writeFile(join(dir, "a.yaml"), doc("top", GET));
    await writeFile(join(dir, "notes.txt"), "not yaml");
    await writeFile(join(dir, ".hidden", "x.yaml"), "not: a scenario");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("walks directories recursively, *.yaml and *.yml only, sorted", async () => {
    expect((await scenarioFiles(dir)).map((f) => f.slice(dir.length + 1))).toEqual(["a.yaml", "b/a.yaml", "b/deep/z.yml"]);
    const loaded = await loadScenarios(dir);
    expect(loaded.map((l) => l.scenario.metadata.name)).toEqual(["top", "a1", "a2", "z"]);
  });

  it("names both files of a duplicate metadata.name", async () => {
    const other = await mkdtemp(join(tmpdir(), "impfuzz-dup-"));
    try {
      await writeFile(join(other, "dup.yaml"), doc("a1", GET));
      const e = await loadScenarios([dir, other]).then(
        () => undefined,
        (err: unknown) => err as ScenarioInvalidError,
      );
      expect(e?.message).toBe(
        `${join(other, "dup.yaml")}:4: metadata.name: duplicate scenario name "a1": ${join(dir, "b", "a.yaml")}:4 uses it too; names must be unique in a run, rename one`,
      );
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it("rejects a path that does not exist", async () => {
    await expect(loadScenarios(join(dir, "missing"))).rejects.toThrow(/missing: \(path\): no such file or directory/);
  });
});
