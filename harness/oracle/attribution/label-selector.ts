/**
 * `labels.Parse` (kubernetes/apimachinery:pkg/labels/selector.go, behaviour identical in v0.35–v0.37):
 * its byte lexer (a NUL byte reads as end of input), its token-context quirks (`in`/`notin` are plain
 * identifiers where a value or key is expected), value sets (deduplicated and sorted, `()` = {""}),
 * key/value validation, and the final sort by key.
 *
 * Known gap: Go sorts with the unstable `sort.Sort` (pdqsort). Up to 12 requirements it is an insertion
 * sort, i.e. stable, which we reproduce; with more than 12 requirements *and* repeated keys the relative
 * order of same-key requirements may differ from ours.
 */
import { compareGo } from "../go-text.ts";
import { isLabelKey, isLabelValue, isInt64 } from "./label-validation.ts";
import { memoize } from "./memo.ts";

export type LabelOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | ">" | "<";

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted, deduplicated (`sets.String.List()`); empty for exists / does-not-exist. */
  readonly values: readonly string[];
}

export type LabelSelectorParse =
  | { readonly ok: true; readonly requirements: readonly LabelRequirement[] }
  | { readonly ok: false; readonly error: string };

type Token = "error" | "eos" | ")" | "," | "!" | "==" | "=" | ">" | "id" | "in" | "<" | "!=" | "notin" | "(";

const KEYWORDS: ReadonlyMap<string, Token> = new Map<string, Token>([
  [")", ")"], [",", ","], ["!", "!"], ["==", "=="], ["=", "="], [">", ">"],
  ["in", "in"], ["<", "<"], ["!=", "!="], ["notin", "notin"], ["(", "("],
]);

const isWhitespace = (c: string): boolean => c === " " || c === "\t" || c === "\r" || c === "\n";
const isSpecial = (c: string): boolean => "=!(),><".includes(c) && c !== "";

interface Item {
  readonly tok: Token;
  readonly lit: string;
}

/** The lexer, with Go's `read()` returning NUL at the end and `unread()` always stepping back. */
function scan(s: string): Item[] {
  let pos = 0;
  const read = (): string => (pos < s.length ? s[pos++]! : "\0");
  const items: Item[] = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    if (ch === "\0") {
      items.push({ tok: "eos", lit: "" });
      return items;
    }
    pos--;
    if (isSpecial(ch)) {
      let buffer = "";
      let last: Item | undefined;
      for (;;) {
        const c = read();
        if (c === "\0") break;
        if (!isSpecial(c)) {
          pos--;
          break;
        }
        buffer += c;
        const tok = KEYWORDS.get(buffer);
        if (tok) last = { tok, lit: buffer };
        else if (last) {
          pos--;
          break;
        }
      }
      items.push(last ?? { tok: "error", lit: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = "";
      for (;;) {
        const c = read();
        if (c === "\0") break;
        if (isSpecial(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buffer += c;
      }
      items.push({ tok: KEYWORDS.get(buffer) ?? "id", lit: buffer });
    }
  }
}

class ParseError extends Error {}

/** The recursive-descent parser over the scanned items, contexts as upstream's KeyAndOperator/Values. */
class Parser {
  private position = 0;
  constructor(private readonly items: readonly Item[]) {}

  private peek(values: boolean): Item {
    const it = this.items[this.position]!;
    return values && (it.tok === "in" || it.tok === "notin") ? { tok: "id", lit: it.lit } : it;
  }

  private next(values: boolean): Item {
    const it = this.peek(values);
    this.position++;
    return it;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek(true);
      if (tok === "eos") return requirements;
      if (tok !== "id" && tok !== "!") throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      requirements.push(this.requirement());
      const after = this.next(true);
      if (after.tok === "eos") return requirements;
      if (after.tok !== ",") throw new ParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek(true);
      if (following.tok !== "id" && following.tok !== "!") {
        throw new ParseError(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let first = this.next(true);
    let doesNotExist = false;
    if (first.tok === "!") {
      doesNotExist = true;
      first = this.next(true);
    }
    if (first.tok !== "id") throw new ParseError(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    if (!isLabelKey(key)) throw new ParseError(`invalid label key ${key}`);
    const ahead = this.peek(true).tok;
    if (doesNotExist) return newRequirement(key, "!", []);
    if (ahead === "eos" || ahead === ",") return newRequirement(key, "exists", []);
    const opItem = this.next(false);
    const operator = OPERATOR_OF.get(opItem.tok);
    if (!operator) throw new ParseError(`found '${opItem.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = operator === "in" || operator === "notin" ? this.valueSet() : this.exactValue();
    return newRequirement(key, operator, [...values].sort(compareGo));
  }

  private valueSet(): Set<string> {
    const open = this.next(true);
    if (open.tok !== "(") throw new ParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek(true);
    if (tok === ")") {
      this.next(true);
      return new Set([""]);
    }
    if (tok !== "id" && tok !== ",") throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
    const s = this.identifiers();
    if (this.next(true).tok !== ")") throw new ParseError(`found '${lit}', expected: ')'`);
    return s;
  }

  private identifiers(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const item = this.next(true);
      if (item.tok === "id") {
        s.add(item.lit);
        const ahead = this.peek(true);
        if (ahead.tok === ",") continue;
        if (ahead.tok === ")") return s;
        throw new ParseError(`found '${ahead.lit}', expected: ',' or ')'`);
      }
      if (item.tok !== ",") throw new ParseError(`found '${item.lit}', expected: ',', or identifier`);
      if (s.size === 0) s.add(""); // "(,"
      const ahead = this.peek(true).tok;
      if (ahead === ")") {
        s.add(""); // ",)"
        return s;
      }
      if (ahead === ",") s.add(""); // ",,"
    }
  }

  private exactValue(): Set<string> {
    const ahead = this.peek(true).tok;
    if (ahead === "eos" || ahead === ",") return new Set([""]);
    const item = this.next(true);
    if (item.tok !== "id") throw new ParseError(`found '${item.lit}', expected: identifier`);
    return new Set([item.lit]);
  }
}

const OPERATOR_OF: ReadonlyMap<Token, LabelOperator> = new Map<Token, LabelOperator>([
  ["in", "in"], ["=", "="], ["==", "=="], [">", ">"], ["<", "<"], ["notin", "notin"], ["!=", "!="],
]);

/** `labels.NewRequirement`'s validation: value count per operator, integer Gt/Lt, every value a label value. */
function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const n = values.length;
  const countOk =
    operator === "in" || operator === "notin" ? n > 0
    : operator === "exists" || operator === "!" ? n === 0
    : n === 1;
  if (!countOk) throw new ParseError(`invalid value count for ${operator}`);
  if ((operator === ">" || operator === "<") && !values.every(isInt64)) {
    throw new ParseError("for 'Gt', 'Lt' operators, the value must be an integer");
  }
  if (!values.every(isLabelValue)) throw new ParseError("invalid label value");
  return { key, operator, values };
}

function parse(selector: string): LabelSelectorParse {
  try {
    const requirements = new Parser(scan(selector)).parse();
    // sort.Sort(ByKey): insertion sort (stable) up to 12 elements, see the file comment.
    requirements.sort((a, b) => compareGo(a.key, b.key));
    return { ok: true, requirements };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: `unable to parse requirement: ${e.message}` };
    throw e;
  }
}

/** Parses (memoised: results are shared and immutable). */
export const parseLabelSelector: (selector: string) => LabelSelectorParse = memoize(2048, parse);

/** `Requirement.String()`: what the impersonation cache key stores for each label requirement. */
export function labelRequirementString(r: LabelRequirement): string {
  if (r.operator === "!") return `!${r.key}`;
  if (r.operator === "exists") return r.key;
  const values = r.values.join(",");
  if (r.operator === "in" || r.operator === "notin") return `${r.key} ${r.operator} (${values})`;
  return `${r.key}${r.operator}${values}`;
}
