export { attributesFor, fromRequestInfo } from "./request-info.ts";
export { newRequestInfo, type RequestInfo } from "./request-info-resolver.ts";
export { parseRequestTarget, goParseQuery, goUnescape, type RequestTarget, type QueryValues } from "./go-url.ts";
export { parseFieldSelector, type FieldRequirement, type FieldSelectorParse } from "./field-selector.ts";
export {
  parseLabelSelector,
  labelRequirementString,
  type LabelRequirement,
  type LabelOperator,
  type LabelSelectorParse,
} from "./label-selector.ts";
export { selectorAttributes, type SelectorAttributes } from "./selector-attributes.ts";
