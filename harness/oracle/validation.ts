/**
 * The apimachinery validation the filter calls, with its exact messages (SPEC §6 valid node/SA names,
 * §7 step 4.1 extra keys). Sources: `kubernetes/apimachinery:pkg/util/validation/validation.go`
 * (IsDNS1123Label, IsDNS1123Subdomain, IsDomainPrefixedPath, RegexError, MaxLenError),
 * `…/validation/field/errors.go` (Invalid: `<field>: Invalid value: %q: <detail>`, ToAggregate dedup),
 * `…/util/errors/errors.go` (aggregate: one → itself, several → `[a, b]`), `…/api/validation/generic.go`
 * (namespace = DNS label, service account name = DNS subdomain) and
 * `kubernetes/apiserver:pkg/authentication/serviceaccount/util.go` (SplitUsername). Identical in
 * v0.35.4, v0.36.3 and v0.37.0-beta.0.
 *
 * Strings are Go strings (see go-text.ts); the regexes only accept ASCII, so an escaped byte never matches.
 */
import { memoize } from "./attribution/memo.ts";
import { goLen, goQuote } from "./go-text.ts";

const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPath = new RegExp(`^${HTTP_PATH_FMT}$`);

// The two DNS regexes above, evaluated in linear time (a JS backtracking engine is quadratic on them and
// fuzzed names can be long). A label: non-empty, [a-z0-9-], alphanumeric at both ends; a subdomain:
// labels joined by single dots.
// Both are char scans that allocate nothing (they run for every requestor and wanted name).
const isAlnum = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
/** Does s[from, to) match the label regex? */
function labelAt(s: string, from: number, to: number): boolean {
  if (from >= to || !isAlnum(s.charCodeAt(from)) || !isAlnum(s.charCodeAt(to - 1))) return false;
  for (let i = from + 1; i < to - 1; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x2d && !isAlnum(c)) return false;
  }
  return true;
}
function matchesLabel(s: string): boolean {
  return labelAt(s, 0, s.length);
}
/** Every dot-separated part (an empty one included) is a label. */
function matchesSubdomain(s: string): boolean {
  let from = 0;
  for (;;) {
    const dot = s.indexOf(".", from);
    if (dot < 0) return labelAt(s, from, s.length);
    if (!labelAt(s, from, dot)) return false;
    from = dot + 1;
  }
}

const DNS1123_LABEL_ERR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${fmt}')`;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (goLen(value) > 63) errs.push(maxLenError(63));
  if (!matchesLabel(value)) {
    // A valid subdomain that is not a label can only be one with dots (length was checked above).
    errs.push(matchesSubdomain(value) ? "must not contain dots" : regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"));
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (goLen(value) > 253) errs.push(maxLenError(253));
  if (!matchesSubdomain(value)) errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"));
  return errs;
}

/** field.Invalid(path, value, detail).Error() for a string value. */
function fieldInvalid(field: string, value: string, detail: string): string {
  return `${field}: Invalid value: ${goQuote(value)}${detail ? `: ${detail}` : ""}`;
}

/** ErrorList.ToAggregate().Error(): duplicates dropped, one error alone, several bracketed. */
export function aggregateError(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(", ")}]`;
}

/**
 * IsDomainPrefixedPath(field.NewPath("extra","key"), key) as a list of field-error texts. The empty key
 * never gets here (validateExtra rejects it first), so `Required value` is not modelled separately.
 */
export function isDomainPrefixedPath(field: string, dpPath: string): string[] {
  if (dpPath.length === 0) return [`${field}: Required value`];
  const slash = dpPath.indexOf("/");
  const host = slash < 0 ? dpPath : dpPath.slice(0, slash);
  const path = slash < 0 ? "" : dpPath.slice(slash + 1);
  if (slash < 0 || host.length === 0 || path.length === 0) {
    return [fieldInvalid(field, dpPath, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  const errs = isDNS1123Subdomain(host).map((e) => fieldInvalid(field, host, e));
  if (!httpPath.test(path)) errs.push(fieldInvalid(field, path, regexError("Invalid path", HTTP_PATH_FMT)));
  return errs;
}

const SA_PREFIX = "system:serviceaccount:";
const NODE_PREFIX = "system:node:";

/**
 * The mode filters ask about the same one or two names (wanted user, requestor) several times per
 * request, and a run meets the same names again and again (its wanted users, its requestors): a
 * two-slot memo for the request, in front of a bounded map for the run (`memoName`). Checking a
 * service-account name costs about a thousand instructions (its parts are cut out and scanned); a map
 * hit, one or two hundred.
 */
function memo2<T>(f: (s: string) => T): (s: string) => T {
  let k1: string | undefined;
  let v1: T;
  let k2: string | undefined;
  let v2: T;
  return (s) => {
    if (s === k1) return v1;
    if (s === k2) return v2;
    const v = f(s);
    k2 = k1;
    v2 = v1;
    k1 = s;
    v1 = v;
    return v;
  };
}

/** Names repeat; a run with more distinct ones than this starts its map over. */
const memoName = <T>(f: (s: string) => T): ((s: string) => T) => memo2(memoize(4096, f));

/** serviceaccount.SplitUsername: exactly `<ns>:<name>` after the prefix, ns a DNS label, name a DNS subdomain. */
export const splitServiceAccountUsername = memoName(splitServiceAccountUsernameUncached);

function splitServiceAccountUsernameUncached(username: string): { namespace: string; name: string } | null {
  if (!username.startsWith(SA_PREFIX)) return null;
  const colon = username.indexOf(":", SA_PREFIX.length);
  if (colon < 0 || username.indexOf(":", colon + 1) >= 0) return null; // exactly two parts
  const namespace = username.slice(SA_PREFIX.length, colon);
  const name = username.slice(colon + 1);
  if (!isValidDNS1123Label(namespace) || !isValidDNS1123Subdomain(name)) return null;
  return { namespace, name };
}

// isDNS1123Label(s).length === 0 and isDNS1123Subdomain(s).length === 0 without building messages: a
// string matching the regex is ASCII, so its Go length is its length.
const isValidDNS1123Label = (s: string): boolean => s.length <= 63 && matchesLabel(s);
const isValidDNS1123Subdomain = (s: string): boolean => s.length <= 253 && matchesSubdomain(s);

/** isNodeUsername (mode.go): `system:node:` + a DNS-1123 subdomain (validation.NameIsDNSSubdomain, prefix=false). */
export const nodeNameOf = memoName(nodeNameOfUncached);

function nodeNameOfUncached(username: string): string | null {
  if (!username.startsWith(NODE_PREFIX)) return null;
  const name = username.slice(NODE_PREFIX.length);
  return isValidDNS1123Subdomain(name) ? name : null;
}
