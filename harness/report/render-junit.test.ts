import { describe, expect, it } from "vitest";
import { renderJunit } from "./render-junit.ts";
import { divergenceRecord, flakeRecord, fuzzSummary, NASTY, scenario, scenarioSummary } from "./_testing/fixtures.ts";
import { findAll, parseXml, type XmlElement } from "./_testing/xml-check.ts";

function child(e: XmlElement, name: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name);
}

describe("renderJunit: fuzz run", () => {
  const xml = renderJunit(fuzzSummary(), [divergenceRecord(), flakeRecord()]);
  const root = parseXml(xml);
  const suites = findAll(root, "testsuite");
  const cases = findAll(root, "testcase");

  it("is one testsuite impfuzz.fuzz with a summary case, a failure per divergence and a skipped case per flake", () => {
    expect(root.name).toBe("testsuites");
    expect(suites.map((s) => s.attrs.name)).toEqual(["impfuzz.fuzz"]);
    expect(cases.map((c) => c.attrs.classname)).toEqual(["impfuzz.fuzz", "impfuzz.fuzz", "impfuzz.fuzz"]);
    expect(cases[0]?.attrs.name).toBe("probes compared");
    expect(cases[0]?.children.map((c) => c.name)).toEqual(["system-out"]);
    expect(child(cases[0]!, "system-out")?.text).toContain("480 probes in 120 cases");
    expect(cases[1]?.attrs.name).toBe("divergence: outcome: allowed where impersonation-denied predicted (case c17, probe 0)");
    expect(child(cases[2]!, "skipped")?.attrs.message).toMatch(/^flake: code: 500 where 403 predicted; the replay on a fresh requestor saw 403 impersonation-denied$/);
    expect(child(cases[2]!, "system-out")?.text).toContain("replay");
  });

  it("puts the classification in the failure message and the full divergence in its body", () => {
    const failure = child(cases[1]!, "failure");
    expect(failure?.attrs).toMatchObject({ type: "divergence", message: "outcome: allowed where impersonation-denied predicted" });
    expect(failure?.text).toContain("outcome: predicted \"impersonation-denied\", observed \"allowed\"");
    expect(failure?.text).toContain("first differing check: #1 (version)");
    expect(failure?.text).toContain("Impersonate-User: bob");
    expect(failure?.text).toContain("not compared: constraint (audit log not available)");
  });

  it("counts consistently and carries time attributes and run properties", () => {
    expect(root.attrs).toMatchObject({ tests: "3", failures: "1", errors: "0", skipped: "1", time: "723.500" });
    expect(suites[0]?.attrs).toMatchObject({ tests: "3", failures: "1", errors: "0", skipped: "1", timestamp: "2026-11-28T18:00:00.000Z" });
    for (const c of cases) expect(c.attrs.time).toMatch(/^\d+\.\d{3}$/);
    const props = Object.fromEntries(findAll(root, "property").map((p) => [p.attrs.name, p.attrs.value]));
    expect(props).toMatchObject({ runId: "run-20261128-0001", seed: "42", kubeVersion: "1.37.2", gate: "on" });
  });

  it("turns an aborted run into an error on the summary case", () => {
    const r = parseXml(renderJunit(fuzzSummary({ aborted: "infrastructure lost: apiserver exited\nwith code 2" }), []));
    const error = child(findAll(r, "testcase")[0]!, "error");
    expect(error?.attrs).toMatchObject({ type: "aborted", message: "run aborted: infrastructure lost: apiserver exited …" });
    expect(r.attrs).toMatchObject({ tests: "1", errors: "1" });
  });

  it("names the suite impfuzz.replay for a replay", () => {
    const r = parseXml(renderJunit(fuzzSummary({ command: "replay" }), [divergenceRecord()]));
    expect(findAll(r, "testsuite").map((s) => s.attrs.name)).toEqual(["impfuzz.replay"]);
  });
});

describe("renderJunit: scenario run", () => {
  const root = parseXml(renderJunit(scenarioSummary(), []));
  const cases = findAll(root, "testcase");

  it("is one testcase per scenario, classname = folder, name = scenario name", () => {
    expect(findAll(root, "testsuite").map((s) => s.attrs.name)).toEqual(["impfuzz.scenarios"]);
    expect(cases.map((c) => [c.attrs.classname, c.attrs.name, c.attrs.file])).toEqual([
      ["scenarios/upstream", "user-info allowed", "scenarios/upstream/user-info.yaml"],
      ["scenarios/kep", "deny | pipes `and` <b>tags</b>", "scenarios/kep/deny.yaml"],
      ["scenarios/kep", "needs 1.38", "scenarios/kep/future.yaml"],
      ["scenarios/bugs", "broken", "./scenarios/bugs/broken.yaml"],
    ]);
    expect(cases[0]?.children).toEqual([]);
    expect(cases[1]?.attrs.time).toBe("1.500");
  });

  it("lists failed steps and which side disagreed", () => {
    const failure = child(cases[1]!, "failure");
    expect(failure?.attrs.message).toBe('1 of 2 steps failed: step 2 "denied" (expect+oracle)');
    expect(failure?.text).toContain('step 2 "denied" [expect+oracle]: server answered code 200, outcome allowed, message null');
    expect(failure?.text).toContain("expect code: expected 403, observed 200");
    expect(failure?.text).toContain('oracle checks[1].verb: expected "impersonate:user-info", observed "impersonate"');
  });

  it("marks skipped scenarios <skipped> and harness errors <error>", () => {
    expect(child(cases[2]!, "skipped")?.attrs.message).toBe("requires kube >= 1.38");
    const error = child(cases[3]!, "error");
    expect(error?.attrs.message).toBe("ClusterUnreachableError: connection refused …");
    expect(error?.text).toBe("ClusterUnreachableError: connection refused\nat line 2");
    expect(root.attrs).toMatchObject({ tests: "4", failures: "1", errors: "1", skipped: "1" });
  });

  it("adds the fuzz suite when a scenario run journalled oracle divergences", () => {
    const r = parseXml(renderJunit(scenarioSummary(), [divergenceRecord()]));
    expect(findAll(r, "testsuite").map((s) => s.attrs.name)).toEqual(["impfuzz.fuzz", "impfuzz.scenarios"]);
  });
});

describe("renderJunit: escaping", () => {
  const nastyRecord = divergenceRecord({
    comparison: { ...divergenceRecord().comparison, classification: `message: ${NASTY}` },
    probe: { requestor: { username: NASTY, uid: "", groups: [], extra: {} }, request: { method: "GET", path: "/api?x=]]>", headers: [["Impersonate-User", NASTY]] } },
  });
  const summary = { ...scenarioSummary(), command: "scenarios" as const, aborted: NASTY };
  const withNastyScenarios = {
    ...summary,
    scenarios: [scenario({ name: NASTY, file: `scenarios/${NASTY}/x.yaml`, passed: false, error: NASTY, steps: [] })],
  };
  const xml = renderJunit(withNastyScenarios, [nastyRecord]);

  it("is well-formed XML 1.0 whatever the strings hold", () => {
    expect(() => parseXml(xml)).not.toThrow();
  });

  it("writes no character XML forbids, and no raw markup from the input", () => {
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(xml).not.toContain("<script>");
    expect(xml.match(/]]>/g) ?? []).toEqual([]);
  });

  it("keeps the text readable: markup and quotes round-trip, unshowable characters become visible escapes", () => {
    const root = parseXml(xml);
    const scenarioCase = findAll(root, "testcase").find((c) => c.attrs.classname !== "impfuzz.fuzz");
    expect(scenarioCase?.attrs.name).toBe(
      "<script>alert(1)</script> ]]> a|b `tick` ``` $x$ *em* \\0 \\u0001 \\u001f \\uffff 😀 & \"q\" 'a' \\ud800 end",
    );
    const failure = findAll(root, "failure")[0];
    expect(failure?.text).toContain("Impersonate-User: <script>alert(1)</script> ]]> a|b");
    expect(failure?.attrs.message).toContain("😀 & \"q\" 'a'");
  });
});
