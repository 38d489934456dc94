/**
 * What RequestInfo learns from the query of a collection GET: watch or list, and the name a
 * `metadata.name` field selector pins (kubernetes/apiserver:pkg/endpoints/request/requestinfo.go).
 *
 * Upstream decodes the whole query into `metainternalversion.ListOptions` with the parameter codec
 * (url.Values → meta/v1 ListOptions → internal). Decoding fails when `limit` or `timeoutSeconds` is not
 * an int64 (`strconv.ParseInt(s, 10, 64)`) or the label or field selector does not parse
 * (kubernetes/apimachinery:pkg/apis/meta/v1/zz_generated.conversion.go `autoConvert_url_Values_To_v1_ListOptions`,
 * pkg/runtime/conversion.go, pkg/apis/meta/internalversion/zz_generated.conversion.go). Other parameters
 * never fail. Each parameter uses its first value. On failure the options are reset: no name, and watch
 * is re-read from the raw `watch` value only (anything but "false"/"0", case-insensitively, is a watch).
 */
import { parseFieldSelector, requiresExactMatch } from "./field-selector.ts";
import type { QueryValues } from "./go-url.ts";
import { parseLabelSelector } from "./label-selector.ts";
import { isInt64 } from "./label-validation.ts";

export interface CollectionGet {
  readonly watch: boolean;
  /** The `metadata.name` the field selector requires, if it is a valid path segment name. */
  readonly name: string;
}

/** `strings.EqualFold(s, "false")`: ASCII case-folding plus U+017F (ſ), which folds to `s`. */
function equalFoldFalse(s: string): boolean {
  return s.length === 5 && s.replace(/\u017f/g, "s").toLowerCase() === "false" && /^[\x00-\x7f\u017f]*$/.test(s);
}

/** `Convert_Slice_string_To_bool`: only "0" and (case-folded) "false" are false. */
function goBool(first: string): boolean {
  return !(first === "0" || equalFoldFalse(first));
}

/** `content.IsPathSegmentName` / `path.IsValidPathSegmentName`: not "." or "..", no "/" or "%". */
export function isPathSegmentName(name: string): boolean {
  return name !== "." && name !== ".." && !name.includes("/") && !name.includes("%");
}

function decodes(query: QueryValues): boolean {
  for (const key of ["timeoutSeconds", "limit"]) {
    const v = query.get(key);
    if (v && v.length > 0 && !isInt64(v[0]!)) return false;
  }
  const label = query.get("labelSelector")?.[0] ?? "";
  if (!parseLabelSelector(label).ok) return false;
  return true;
}

export function collectionGet(query: QueryValues): CollectionGet {
  // DecodeParameters returns at once for an empty query: zero options, a list.
  if (query.size === 0) return { watch: false, name: "" };
  const watchValue = query.get("watch")?.[0];
  const field = parseFieldSelector(query.get("fieldSelector")?.[0] ?? "");
  if (!field.ok || !decodes(query)) {
    // requestinfo.go re-reads watch with strings.ToLower(v) ∉ {"false","0"} after a failed decode.
    const lowered = watchValue?.toLowerCase();
    return { watch: watchValue !== undefined && lowered !== "false" && lowered !== "0", name: "" };
  }
  const watch = watchValue !== undefined && goBool(watchValue);
  const name = requiresExactMatch(field.requirements, "metadata.name");
  return { watch, name: name !== undefined && isPathSegmentName(name) ? name : "" };
}
