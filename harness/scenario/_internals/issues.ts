import type { z } from "zod";
import { STEP_KINDS } from "../schema.ts";
import { type IssuePath, valueAt } from "./yaml-positions.ts";

/**
 * @internal Turns zod issues into what ScenarioInvalidError prints: the dotted field, whether the
 * line to report is that of an unknown key, and a one-line detail that says what is wrong and how to
 * fix it. Union failures are resolved to the branch the author meant (a step's kind is the one of
 * request/apply/delete/wait it carries) so the message names the real field, not "invalid input".
 */
export interface Problem {
  readonly path: IssuePath;
  /** Set for unknown fields: the offending key, whose own line is reported. */
  readonly key?: string;
  readonly detail: string;
}

type Issue = z.core.$ZodIssue;

const KNOWN_FIELDS = [
  "apiVersion", "kind", "metadata", "spec", "name", "description", "source", "labels", "versions", "gate",
  "objects", "steps", "notes", "request", "apply", "delete", "wait", "expect", "as", "impersonate",
  "headers", "method", "path", "body", "user", "uid", "groups", "extra", "code", "outcome", "message",
  "constraint", "checks", "username", "verb", "group", "version", "resource", "subresource", "namespace",
  "contains", "regex", "rules", "verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs",
  "subjects", "roleRef", "aggregationRule", "annotations",
];

export function formatPath(path: IssuePath): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(seg))) out += out === "" ? String(seg) : `.${String(seg)}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === "" ? "(document)" : out;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]!;
}

function suggestion(key: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of KNOWN_FIELDS) {
    if (known === key) continue;
    const distance = editDistance(key, known);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best === undefined ? "" : ` (did you mean "${best}"?)`;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
  return `the ${typeof v} ${String(v)}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

/** Hints for required fields: what the field is, so the fix is obvious. */
const REQUIRED_HINTS: readonly (readonly [RegExp, string])[] = [
  [/^apiVersion$/, `write apiVersion: impfuzz/v1`],
  [/^kind$/, `write kind: Scenario`],
  [/^metadata\.name$/, "a name of a-z, 0-9 and -, unique in a run"],
  [/^spec\.steps$/, "a list of steps: request, apply, delete or wait"],
  [/\.request\.as$/, "the requestor, e.g. as: {user: alice}"],
  [/\.as\.user$/, "the requestor's username; the harness mints a credential for exactly this identity"],
  [/\.request\.method$/, "the HTTP method, e.g. method: GET"],
  [/\.request\.path$/, "the URL path to send, e.g. path: /api/v1/namespaces/default/pods"],
  [/metadata\.name$/, "every object needs metadata.name"],
  [/\.roleRef$/, "a binding needs roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ...}"],
  [/\.verbs$/, "a rule needs verbs, e.g. verbs: [get]"],
  [/metadata\.namespace$/, "Roles and RoleBindings are namespaced: add metadata.namespace"],
];

function requiredDetail(field: string, expected: string): string {
  const hint = REQUIRED_HINTS.find(([re]) => re.test(field))?.[1];
  return hint === undefined ? `is required (${TYPE_NAMES[expected] ?? expected})` : `is required: ${hint}`;
}

function formatDetail(field: string, value: unknown, pattern: string | undefined): string {
  if (/metadata\.name$/.test(field) && field.startsWith("metadata")) {
    return `must contain only lower-case letters, digits and "-" (got ${JSON.stringify(value)})`;
  }
  if (/\.method$/.test(field)) return `must be an upper-case HTTP method such as GET or POST (got ${JSON.stringify(value)})`;
  if (/\.path$/.test(field)) return `must start with "/" (got ${JSON.stringify(value)})`;
  if (/\.headers/.test(field)) return `${JSON.stringify(value)} is not a valid HTTP header name`;
  return `has the wrong format${pattern ? ` (must match ${pattern})` : ""} (got ${JSON.stringify(value)})`;
}

function describe(issue: Issue, root: unknown): Problem[] {
  const path = issue.path;
  const field = formatPath(path);
  const value = valueAt(root, path);
  switch (issue.code) {
    case "invalid_type": {
      if (value === undefined) return [{ path, detail: requiredDetail(field, issue.expected) }];
      if (/\.wait$/.test(field)) return [{ path, detail: `must be a duration string such as 11s or 500ms, not ${describeValue(value)}` }];
      let detail = `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describeValue(value)}`;
      if (issue.expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
        detail += ` (quote it: "${String(value)}")`;
      } else if (issue.expected === "array" && typeof value !== "object") {
        detail += ` (write a list: [${String(value)}])`;
      } else if (issue.expected === "int" && typeof value === "number") {
        detail += " (use a whole number)";
      }
      return [{ path, detail }];
    }
    case "invalid_value": {
      const shown = issue.values.map((v) => (v === "" ? '""' : String(v)));
      const got = value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
      if (value === undefined) return [{ path, detail: `is required: must be ${shown.join(" or ")}` }];
      return [{ path, detail: shown.length === 1 ? `must be ${shown[0]}${got}` : `must be one of ${shown.join(", ")}${got}` }];
    }
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path,
        key,
        detail: `unknown field "${key}"${suggestion(key)}: remove it or fix its spelling`,
      }));
    case "too_small": {
      const n = Number(issue.minimum);
      if (issue.origin === "array") return [{ path, detail: `must have at least ${n} item${n === 1 ? "" : "s"}` }];
      if (issue.origin === "string") return [{ path, detail: n === 1 ? "must not be empty" : `must be at least ${n} characters` }];
      return [{ path, detail: `must be at least ${n} (got ${String(value)})` }];
    }
    case "too_big": {
      const n = Number(issue.maximum);
      if (issue.origin === "array") return [{ path, detail: `must have at most ${n} items` }];
      return [{ path, detail: `must be at most ${n} (got ${String(value)})` }];
    }
    case "invalid_format":
      return [{ path, detail: formatDetail(field, value, "pattern" in issue ? String(issue.pattern) : undefined) }];
    case "invalid_key": {
      const key = JSON.stringify(String(path[path.length - 1]));
      const what = /\.headers\[/.test(field) ? "is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~)" : "is not an allowed key";
      return [{ path, detail: `${key} ${what}` }];
    }
    case "invalid_element":
      return issue.issues.flatMap((inner) => describe({ ...inner, path: [...path, issue.key as PropertyKey, ...inner.path] } as Issue, root));
    case "invalid_union":
      return resolveUnion(issue, root);
    case "custom":
      return [{ path, detail: customDetail(field, issue.message) }];
    default:
      return [{ path, detail: issue.message }];
  }
}

function customDetail(field: string, message: string): string {
  if (/\.wait$/.test(field)) return `${message}: write a number with a unit, e.g. 11s, 500ms or 1m30s`;
  if (/\.regex$/.test(field)) return `${message}: fix the pattern (JavaScript syntax)`;
  return message;
}

function isStepPath(path: IssuePath): boolean {
  return path.length === 3 && path[0] === "spec" && path[1] === "steps" && typeof path[2] === "number";
}

/** Picks the union branch the author meant and reports its issues; see the file comment. */
function resolveUnion(issue: Extract<Issue, { code: "invalid_union" }>, root: unknown): Problem[] {
  const path = issue.path;
  const value = valueAt(root, path);
  const branches = issue.errors.map((errs) => errs.map((e) => ({ ...e, path: [...path, ...e.path] }) as Issue));
  if (isStepPath(path)) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return [{ path, detail: `must be a mapping with one of ${STEP_KINDS.join(", ")}` }];
    }
    const present = STEP_KINDS.filter((k) => k in value);
    if (present.length !== 1) {
      const found = present.length === 0 ? "none" : present.join(" and ");
      return [{ path, detail: `a step needs exactly one of ${STEP_KINDS.join(", ")} (found ${found})` }];
    }
    const branch = branches[STEP_KINDS.indexOf(present[0]!)] ?? [];
    return branch.flatMap((i) => describe(i, root));
  }
  if (path[path.length - 1] === "message" && value !== null && typeof value === "object" && !Array.isArray(value)) {
    const branch = "contains" in value ? branches[1] : "regex" in value ? branches[2] : undefined;
    if (branch !== undefined) return branch.flatMap((i) => describe(i, root));
    const keys = Object.keys(value).map((k) => `"${k}"${suggestion(k)}`).join(", ");
    return [{ path, detail: `must be a string, {contains: "..."} or {regex: "..."}; unknown key ${keys}` }];
  }
  // Elsewhere: the branch whose issues all lie below the union's own node is the
  // one whose shape matched; without one, say which shapes are allowed.
  const deeper = branches.filter((b) => b.length > 0 && b.every((i) => i.path.length > path.length));
  deeper.sort((a, b) => a.length - b.length);
  if (deeper[0] !== undefined) return deeper[0].flatMap((i) => describe(i, root));
  if (path[path.length - 1] === "message") {
    return [{ path, detail: `must be a string, {contains: "..."} or {regex: "..."}, not ${describeValue(value)}` }];
  }
  return [{ path, detail: `does not match any allowed shape (${describeValue(value)})` }];
}

/** @internal All problems of a failed parse, in the order zod found them. */
export function problemsOf(error: z.ZodError, root: unknown): Problem[] {
  return error.issues.flatMap((issue) => describe(issue, root));
}
