import type { Check, RequestResult, ScenarioStepResult, UserInfo } from "../core/index.ts";
import { type ExpectedCheck, type Expectation, messageMatches } from "../scenario/index.ts";

type Failure = ScenarioStepResult["failures"][number];

const CHECK_FIELDS = ["verb", "group", "version", "resource", "subresource", "namespace", "name", "path"] as const;

function checkView(c: Check, named: ExpectedCheck): Record<string, string> {
  const a = c.attributes;
  const view: Record<string, string> = {};
  if (named.user !== undefined) view.user = a.user.username;
  for (const f of CHECK_FIELDS) if (named[f] !== undefined) view[f] = f === "group" ? a.group : String(a[f]);
  return view;
}

function userMatches(expected: NonNullable<Expectation["user"]>, actual: UserInfo | null): boolean {
  if (!actual) return false;
  if (expected.username !== undefined && expected.username !== actual.username) return false;
  if (expected.uid !== undefined && expected.uid !== actual.uid) return false;
  if (expected.groups !== undefined && JSON.stringify(expected.groups) !== JSON.stringify(actual.groups)) return false;
  if (expected.extra !== undefined) {
    const keys = Object.keys(expected.extra).sort();
    if (JSON.stringify(keys) !== JSON.stringify(Object.keys(actual.extra).sort())) return false;
    if (keys.some((k) => JSON.stringify(expected.extra![k]) !== JSON.stringify(actual.extra[k] ?? []))) return false;
  }
  return true;
}

/**
 * The file's `expect` against what the server did (names already mapped back). Each field given is
 * compared; a check compares only the attributes it names; the check list compares in order and length.
 */
export function checkExpectation(expect: Expectation | undefined, observed: RequestResult): Failure[] {
  if (!expect) return [];
  const out: Failure[] = [];
  const fail = (field: string, expected: unknown, got: unknown) => out.push({ against: "expect", field, expected, observed: got });
  if (expect.code !== undefined && expect.code !== observed.code) fail("code", expect.code, observed.code);
  if (expect.outcome !== undefined && expect.outcome !== observed.outcome) fail("outcome", expect.outcome, observed.outcome);
  if (expect.message !== undefined && !messageMatches(expect.message, observed.message ?? "")) fail("message", expect.message, observed.message);
  if (expect.user !== undefined && !userMatches(expect.user, observed.user)) fail("user", expect.user, observed.user);
  if (expect.constraint !== undefined && expect.constraint !== observed.constraint) fail("constraint", expect.constraint, observed.constraint);
  if (expect.checks !== undefined) {
    const views = observed.checks.map((c, i) => checkView(c, expect.checks![i] ?? {}));
    const same =
      views.length === expect.checks.length &&
      expect.checks.every((e, i) => Object.entries(e).every(([k, v]) => views[i]![k] === v));
    if (!same) {
      const full = observed.checks.map((c) => checkView(c, { user: "", ...Object.fromEntries(CHECK_FIELDS.map((f) => [f, ""])) }));
      fail("checks", expect.checks, full);
    }
  }
  return out;
}
