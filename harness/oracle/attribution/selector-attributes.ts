/**
 * Selectors as authorization sees them (AuthorizeWithSelectors: GA and locked on in 1.34–1.36, the
 * gate removed in 1.37, so always on for the versions we model).
 *
 * `GetAuthorizerAttributes` (kubernetes/apiserver:pkg/endpoints/filters/authorization.go) parses the raw
 * `fieldSelector`/`labelSelector` that RequestInfo kept (only for list, watch, deletecollection not
 * reached through a /watch/ path prefix): each selector independently, keeping its requirements if it
 * parses and has any, or a parsing error. The webhook authorizer then serialises them into the SAR
 * (kubernetes/apiserver:plugin/pkg/authorizer/webhook/webhook.go `fieldSelectorToAuthorizationAPI`,
 * `labelSelectorToAuthorizationAPI`):
 * - field `=`/`==` → `In [v]`, `!=` → `NotIn [v]`;
 * - label `=`/`==`/`in` → `In`, `!=`/`notin` → `NotIn`, `exists` → `Exists`, `!k` → `DoesNotExist`,
 *   values omitted when empty (we write `[]`, as the recorder normalises); `>`/`<` are dropped;
 * - a selector whose requirements are all dropped, or that failed to parse, is absent.
 * So `CheckAttributes.fieldSelector/labelSelector` are exactly what a recording webhook sees.
 */
import type { SelectorRequirement } from "../../core/index.ts";
import { parseFieldSelector, type FieldRequirement } from "./field-selector.ts";
import { labelRequirementString, parseLabelSelector, type LabelRequirement } from "./label-selector.ts";

export interface SelectorAttributes {
  readonly fieldSelector?: readonly SelectorRequirement[];
  readonly labelSelector?: readonly SelectorRequirement[];
  /** A present selector failed to parse (upstream `FieldSelectorParsingErr`/`LabelSelectorParsingErr`). */
  readonly selectorError: boolean;
  /** The selector part of the impersonation outer cache key; undefined when `selectorError`. */
  readonly cacheKeyPart?: readonly unknown[];
}

function fieldToSar(r: FieldRequirement): SelectorRequirement {
  return { key: r.field, operator: r.operator === "=" ? "In" : "NotIn", values: [r.value] };
}

const LABEL_OPERATOR: Readonly<Record<LabelRequirement["operator"], string | undefined>> = {
  "=": "In", "==": "In", in: "In", "!=": "NotIn", notin: "NotIn", exists: "Exists", "!": "DoesNotExist",
  ">": undefined, "<": undefined,
};

function labelsToSar(reqs: readonly LabelRequirement[]): SelectorRequirement[] {
  const out: SelectorRequirement[] = [];
  for (const r of reqs) {
    const operator = LABEL_OPERATOR[r.operator];
    if (operator !== undefined) out.push({ key: r.key, operator, values: [...r.values] });
  }
  return out;
}

const NO_SELECTORS: SelectorAttributes = { selectorError: false, cacheKeyPart: [[], []] };

export function selectorAttributes(rawField: string, rawLabel: string): SelectorAttributes {
  if (rawField === "" && rawLabel === "") return NO_SELECTORS;
  let selectorError = false;
  let fieldReqs: readonly FieldRequirement[] = [];
  let labelReqs: readonly LabelRequirement[] = [];
  if (rawField !== "") {
    const parsed = parseFieldSelector(rawField);
    if (parsed.ok) fieldReqs = parsed.requirements;
    else selectorError = true;
  }
  if (rawLabel !== "") {
    const parsed = parseLabelSelector(rawLabel);
    if (parsed.ok) labelReqs = parsed.requirements;
    else selectorError = true;
  }
  const out: { -readonly [K in keyof SelectorAttributes]: SelectorAttributes[K] } = { selectorError };
  const field = fieldReqs.map(fieldToSar);
  if (field.length > 0) out.fieldSelector = field;
  const label = labelsToSar(labelReqs);
  if (label.length > 0) out.labelSelector = label;
  // impersonation/cache.go buildKey: (field, operator, value) per field requirement — `=` and `==`
  // are both selection.Equals — and Requirement.String() per label requirement (which does tell
  // `=`, `==` and `in` apart, and keeps `>`/`<`).
  if (!selectorError) out.cacheKeyPart = [fieldReqs.map((r) => [r.field, r.operator, r.value]), labelReqs.map(labelRequirementString)];
  return out;
}
