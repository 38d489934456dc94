import type { Check, CheckAttributes, FirstCheckDiff, SelectorRequirement } from "../../core/index.ts";
import { formatValue, visible } from "./text.ts";

/**
 * How checks appear in reports: one line per check in the ordered list, and an attribute-by-attribute
 * table for the first check where prediction and observation part.
 * @internal
 */

export interface CheckRow {
  readonly index: number;
  /** One-line summary; null when that side has no check at this index. */
  readonly predicted: string | null;
  readonly observed: string | null;
  readonly differs: boolean;
  /** The first differing check (Comparison.firstCheckDiff.index). */
  readonly first: boolean;
}

export interface AttributeRow {
  readonly attribute: string;
  readonly predicted: string;
  readonly observed: string;
  readonly differs: boolean;
}

export interface FirstCheckView {
  readonly index: number;
  /** `fields` as the comparison named them (`missing`/`extra` when one side ends). */
  readonly fields: readonly string[];
  readonly rows: readonly AttributeRow[];
}

function selector(label: string, reqs: readonly SelectorRequirement[] | undefined): string {
  if (reqs === undefined) return "";
  return ` [${label} ${reqs.map((r) => `${r.key} ${r.operator}${r.values.length > 0 ? ` ${r.values.join(",")}` : ""}`).join("; ")}]`;
}

/**
 * `alice: impersonate-on:user-info:list pods in default`, `alice: impersonate users.authentication.k8s.io "bob"`,
 * `bob: get /healthz`; a predicted check adds its decision (`→ allow by rbac`).
 */
export function formatCheck(check: Check | CheckAttributes): string {
  const a = "attributes" in check ? check.attributes : check;
  let target: string;
  if (!a.resourceRequest) {
    target = a.path;
  } else {
    const resource = `${a.resource}${a.subresource === "" ? "" : `/${a.subresource}`}${a.group === "" ? "" : `.${a.group}`}`;
    target = `${resource}${a.name === "" ? "" : ` ${JSON.stringify(a.name)}`}${a.namespace === "" ? "" : ` in ${a.namespace}`}`;
    target += selector("fields", a.fieldSelector) + selector("labels", a.labelSelector);
  }
  let text = `${a.user.username}: ${a.verb} ${target}`;
  if ("attributes" in check && check.decision !== undefined) {
    text += ` → ${check.decision}${check.decidedBy === undefined ? "" : ` by ${check.decidedBy}`}`;
  }
  return visible(text, { oneLine: true });
}

function sameAttributes(a: CheckAttributes | undefined, b: CheckAttributes | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Both ordered lists side by side, index by index. */
export function checkRows(predicted: readonly Check[], observed: readonly Check[], first: FirstCheckDiff | undefined): CheckRow[] {
  const rows: CheckRow[] = [];
  for (let i = 0; i < Math.max(predicted.length, observed.length); i++) {
    const p = predicted[i];
    const o = observed[i];
    rows.push({
      index: i,
      predicted: p === undefined ? null : formatCheck(p),
      observed: o === undefined ? null : formatCheck(o),
      differs: !sameAttributes(p?.attributes, o?.attributes),
      first: first?.index === i,
    });
  }
  return rows;
}

const ATTRIBUTES: readonly { readonly name: string; readonly get: (a: CheckAttributes) => unknown }[] = [
  { name: "user.username", get: (a) => a.user.username },
  { name: "user.uid", get: (a) => a.user.uid },
  { name: "user.groups", get: (a) => a.user.groups },
  { name: "user.extra", get: (a) => a.user.extra },
  { name: "verb", get: (a) => a.verb },
  { name: "resourceRequest", get: (a) => a.resourceRequest },
  { name: "namespace", get: (a) => a.namespace },
  { name: "group", get: (a) => a.group },
  { name: "version", get: (a) => a.version },
  { name: "resource", get: (a) => a.resource },
  { name: "subresource", get: (a) => a.subresource },
  { name: "name", get: (a) => a.name },
  { name: "path", get: (a) => a.path },
  { name: "fieldSelector", get: (a) => a.fieldSelector },
  { name: "labelSelector", get: (a) => a.labelSelector },
];

const NO_CHECK = "(no check)";

/** The first differing check as attribute rows; a row differs when its values do or the comparison named it. */
export function firstCheckView(first: FirstCheckDiff | undefined): FirstCheckView | undefined {
  if (first === undefined) return undefined;
  const named = new Set(first.fields);
  const rows: AttributeRow[] = [];
  for (const { name, get } of ATTRIBUTES) {
    const p = first.predicted === null ? undefined : get(first.predicted);
    const o = first.observed === null ? undefined : get(first.observed);
    if (p === undefined && o === undefined && first.predicted !== null && first.observed !== null) continue;
    const predicted = first.predicted === null ? NO_CHECK : visible(formatValue(p), { oneLine: true });
    const observed = first.observed === null ? NO_CHECK : visible(formatValue(o), { oneLine: true });
    rows.push({ attribute: name, predicted, observed, differs: predicted !== observed || named.has(name) });
  }
  return { index: first.index, fields: first.fields, rows };
}
