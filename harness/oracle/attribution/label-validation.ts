/**
 * The apimachinery validators label selectors apply (kubernetes/apimachinery:pkg/api/validate/content/
 * kube.go `IsLabelKey`/`IsLabelValue`, dns.go `IsDNS1123Subdomain`) and `strconv.ParseInt(s, 10, 64)`.
 * Only validity matters here (a failure makes the selector unparseable), not the messages.
 * Lengths are Go byte lengths; the regexes only admit ASCII, so UTF-16 length is equal whenever they match.
 */

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/** `IsLabelKey` (= IsQualifiedName): `[prefix/]name`, prefix a DNS-1123 subdomain, name ≤ 63. */
export function isLabelKey(key: string): boolean {
  const parts = key.split("/");
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1]!;
  if (parts.length === 2 && !isDns1123Subdomain(parts[0]!)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** `IsLabelValue`: empty, or ≤ 63 chars of the label-name form. */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && LABEL_NAME.test(value));
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** `strconv.ParseInt(s, 10, 64)` succeeds: optional sign, ASCII digits only, within int64. */
export function isInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX;
}
