/**
 * `fields.ParseSelector` (kubernetes/apimachinery:pkg/fields/selector.go, identical in v0.35–v0.37),
 * reduced to what authorization observes: the ordered requirements, or a parse error.
 *
 * - Terms split on unescaped `,`, then **sorted** (byte order) before parsing; empty terms are skipped.
 * - In each term the first of `!=`, `==`, `=` found scanning left to right is the operator; no operator
 *   is an error. The left side is taken verbatim, the right side is unescaped (`\\`, `\,`, `\=` only;
 *   another escape, a trailing `\`, or an unescaped `,`/`=` is an error).
 * - `=` and `==` both become `selection.Equals` ("="), `!=` becomes NotEquals ("!=").
 * - A term with an empty field and an empty value is dropped by the identity Transform.
 */
import { compareGo } from "../go-text.ts";
import { memoize } from "./memo.ts";

export interface FieldRequirement {
  readonly field: string;
  readonly operator: "=" | "!=";
  readonly value: string;
}

export type FieldSelectorParse =
  | { readonly ok: true; readonly requirements: readonly FieldRequirement[] }
  | { readonly ok: false; readonly error: string };

function splitTerms(selector: string): string[] {
  if (selector === "") return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const OPERATORS = ["!=", "==", "="] as const;

function splitTerm(term: string): { lhs: string; op: (typeof OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** `fields.UnescapeValue`; undefined on error. */
function unescapeValue(s: string): string | undefined {
  if (!/[\\,=]/.test(s)) return s;
  let out = "";
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=") return undefined;
      out += c;
      inSlash = false;
    } else if (c === "\\") inSlash = true;
    else if (c === "," || c === "=") return undefined;
    else out += c;
  }
  return inSlash ? undefined : out;
}

function parse(selector: string): FieldSelectorParse {
  const terms = splitTerms(selector).sort(compareGo);
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === "") continue;
    const parts = splitTerm(term);
    if (!parts) return { ok: false, error: `invalid selector: '${selector}'; can't understand '${term}'` };
    const value = unescapeValue(parts.rhs);
    if (value === undefined) return { ok: false, error: `invalid field selector value in '${term}'` };
    if (parts.lhs === "" && value === "") continue;
    requirements.push({ field: parts.lhs, operator: parts.op === "!=" ? "!=" : "=", value });
  }
  return { ok: true, requirements };
}

/** Parses (memoised: results are shared and immutable). */
export const parseFieldSelector: (selector: string) => FieldSelectorParse = memoize(2048, parse);

/** `Selector.RequiresExactMatch(field)`: the first `=`/`==` requirement on that field, in sorted order. */
export function requiresExactMatch(requirements: readonly FieldRequirement[], field: string): string | undefined {
  for (const r of requirements) if (r.field === field && r.operator === "=") return r.value;
  return undefined;
}
