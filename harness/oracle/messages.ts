/**
 * SPEC §10.1 (400) and §10.2 (403) exact texts and Status bodies.
 *
 * Sources: responsewriters/errors.go (`ForbiddenStatusError`, `forbiddenMessage`, the `&<>` sanitiser
 * applied to the forbiddenMessage part only, `InternalError`), apimachinery api/errors `NewForbidden`
 * (prefix `forbidden: ` / `<gr> is forbidden: ` / `<gr> %q is forbidden: `, details {name, group, kind})
 * and `NewBadRequest`, mode.go `checkAuthorization` (gate ON reason = `<err>: <reason>` | `<err>` |
 * `<reason>`), impersonation.go (gate OFF: the reason only, errors dropped).
 *
 * Every `%q` is strconv.Quote (goQuote); every `%s`/`%v` is the raw Go string. Messages are built from Go
 * strings and made `visible` last, as the JSON encoder does.
 */
import type { CheckAttributes } from "../core/index.ts";
import type { AuthorizerAnswer } from "./authorizer.ts";
import { compareGo, goQuote, visible } from "./go-text.ts";
import type { ExtraHeader, WantedUser } from "./headers.ts";

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
}

/** The metav1.Status body of a 400/403 (what `kubectl` prints as the error). */
export interface StatusBody {
  readonly kind: "Status";
  readonly apiVersion: "v1";
  readonly status: "Failure";
  readonly reason: "Forbidden" | "BadRequest";
  readonly code: 400 | 403;
  readonly message: string;
  readonly details?: StatusDetails;
  /** Oracle-internal, stripped from predictions: why the message text (an authorizer reason) is uncertain. */
  readonly uncertain?: string;
}

const sanitize = (s: string): string => (/[&<>]/.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : s);

/** responsewriters.forbiddenMessage. */
export function forbiddenMessage(a: CheckAttributes): string {
  const parts: string[] = [];
  forbiddenMessageParts(a, parts);
  return parts.join("");
}

/** forbiddenMessage's text, appended to `parts` (messages are joined once, into a flat string). */
function forbiddenMessageParts(a: CheckAttributes, parts: string[]): void {
  parts.push("User ", goQuote(a.user.username), " cannot ", a.verb);
  if (!a.resourceRequest) {
    parts.push(" path ", goQuote(a.path));
    return;
  }
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  parts.push(" resource ", goQuote(resource), " in API group ", goQuote(a.group));
  if (a.namespace) parts.push(" in the namespace ", goQuote(a.namespace));
  else parts.push(" at the cluster scope");
}

const SANITIZED = /[&<>]/;

/**
 * Whether forbiddenMessage(a) holds a character `sanitize` rewrites. Its fixed text has none and `%q`
 * neither adds nor removes `&<>`, so it does iff one of the strings it prints does: testing those few
 * short strings spares flattening the whole message.
 */
function forbiddenMessageNeedsSanitizing(a: CheckAttributes): boolean {
  if (SANITIZED.test(a.user.username) || SANITIZED.test(a.verb)) return true;
  if (!a.resourceRequest) return SANITIZED.test(a.path);
  return SANITIZED.test(a.resource) || SANITIZED.test(a.subresource) || SANITIZED.test(a.group) || SANITIZED.test(a.namespace);
}

/**
 * responsewriters.ForbiddenStatusError(attributes, reason) → apierrors.NewForbidden. `clean`: the
 * attributes' strings are known to hold no invalid byte (FilterContext.clean), so the details need no
 * `visible` pass (the message still gets one: the authorizer's reason is in it).
 */
export function forbiddenStatus(a: CheckAttributes, reason: string, clean = false): StatusBody {
  // NewForbidden's prefix: `forbidden: `, `<resource>[.<group>] is forbidden: ` or `<resource>[.<group>] %q is forbidden: `.
  const parts: string[] = [];
  if (a.group === "" && a.resource === "") parts.push("forbidden: ");
  else {
    parts.push(a.resource);
    if (a.group) parts.push(".", a.group);
    if (a.name === "") parts.push(" is forbidden: ");
    else parts.push(" ", goQuote(a.name), " is forbidden: ");
  }
  if (forbiddenMessageNeedsSanitizing(a)) parts.push(sanitize(forbiddenMessage(a)));
  else forbiddenMessageParts(a, parts);
  if (reason) parts.push(": ", reason);
  const message = parts.join("");
  const details: { name?: string; group?: string; kind?: string } = {};
  if (a.name) details.name = clean ? a.name : visible(a.name);
  if (a.group) details.group = clean ? a.group : visible(a.group);
  if (a.resource) details.kind = clean ? a.resource : visible(a.resource);
  return {
    kind: "Status", apiVersion: "v1", status: "Failure", reason: "Forbidden", code: 403,
    message: mayHoldEscape(a, reason, clean) ? visible(message) : message,
    details,
  };
}

const LOW_SURROGATE = /[\udc00-\udfff]/;

/**
 * Whether the forbidden message of (a, reason) may hold an invalid-byte escape, i.e. whether `visible`
 * could change it. The message is fixed ASCII text around these strings (raw or `%q`-quoted; quoting
 * adds no surrogate), so it holds a code unit in U+DC00–U+DFFF only if one of them does: testing
 * those short strings spares flattening and scanning the whole message. `clean` (FilterContext.clean)
 * vouches for every string that came from the request or its headers.
 */
function mayHoldEscape(a: CheckAttributes, reason: string, clean: boolean): boolean {
  if (LOW_SURROGATE.test(a.user.username) || LOW_SURROGATE.test(reason)) return true;
  if (clean) return false;
  return (
    LOW_SURROGATE.test(a.verb) || LOW_SURROGATE.test(a.path) || LOW_SURROGATE.test(a.resource) || LOW_SURROGATE.test(a.subresource) ||
    LOW_SURROGATE.test(a.group) || LOW_SURROGATE.test(a.namespace) || LOW_SURROGATE.test(a.name)
  );
}

/**
 * A 403 of the filter before it is rendered. Upstream formats every error eagerly, but only the first
 * one is ever shown (§10.2), so the oracle renders it once, at the end (`renderDenial`).
 */
export interface Denial {
  readonly attributes: CheckAttributes;
  readonly reason: string;
  /** Why the reason text is uncertain (an authorizer's `reasonIndeterminate`). */
  readonly uncertain?: string;
}

export function denial(attributes: CheckAttributes, reason: string, uncertain?: string): Denial {
  return uncertain === undefined ? { attributes, reason } : { attributes, reason, uncertain };
}

export function renderDenial(d: Denial, clean = false): StatusBody {
  const s = forbiddenStatus(d.attributes, d.reason, clean);
  return d.uncertain === undefined ? s : { ...s, uncertain: d.uncertain };
}

/** mode.go checkAuthorization's message for a non-allowed answer (gate ON, both filters' legacy mode included). */
export function constrainedReason(answer: AuthorizerAnswer): string {
  if (answer.error !== undefined) return answer.reason ? `${answer.error}: ${answer.reason}` : answer.error;
  return answer.reason;
}

/** Gate OFF: `responsewriters.Forbidden(actingAsAttributes, …, reason)` — the error text is dropped. */
export function legacyReason(answer: AuthorizerAnswer): string {
  return answer.reason;
}

function sharpVStrings(values: readonly string[] | null): string {
  return values === null ? "[]string(nil)" : `[]string{${values.map(goQuote).join(", ")}}`;
}

/** Go `%#v` of the *user.DefaultInfo built from the headers (fmt sorts map keys by Go string order). */
export function sharpVWantedUser(w: WantedUser): string {
  let extra: string;
  if (w.extra === null) extra = "map[string][]string(nil)";
  else {
    const entries = [...w.extra].sort((a, b) => compareGo(a.key, b.key));
    extra = `map[string][]string{${entries.map((e) => `${goQuote(e.key)}:${sharpVStrings(e.values)}`).join(", ")}}`;
  }
  return `&user.DefaultInfo{Name:${goQuote(w.name)}, UID:${goQuote(w.uid)}, Groups:${sharpVStrings(w.groups)}, Extra:${extra}}`;
}

function badRequest(message: string): StatusBody {
  return { kind: "Status", apiVersion: "v1", status: "Failure", reason: "BadRequest", code: 400, message: visible(message) };
}

/** §10.1 gate ON: `requested %#v without impersonating a user name`. */
export function badRequestGateOn(w: WantedUser): StatusBody {
  return badRequest(`requested ${sharpVWantedUser(w)} without impersonating a user name`);
}

/** A v1.ObjectReference as the legacy filter builds it. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly apiVersion?: string;
  readonly fieldPath?: string;
}

/** `%v` of a v1.ObjectReference value: its seven fields in struct order, space-separated, unquoted. */
export function objectRefV(r: ObjectRef): string {
  return `{${[r.kind, r.namespace ?? "", r.name, "", r.apiVersion ?? "", "", r.fieldPath ?? ""].join(" ")}}`;
}

/**
 * §10.1 gate OFF: `requested %v without impersonating a user` over the request list (groups, then each
 * extra header's values in the given header order, then uid; never a user since there is none).
 */
export function badRequestGateOff(groups: readonly string[] | null, extraHeaders: readonly ExtraHeader[], uid: string): StatusBody {
  const refs: ObjectRef[] = [];
  for (const g of groups ?? []) refs.push({ kind: "Group", name: g });
  for (const h of extraHeaders) {
    for (const v of h.values) refs.push({ kind: "UserExtra", name: v, apiVersion: "authentication.k8s.io/v1", fieldPath: h.key });
  }
  if (uid) refs.push({ kind: "UID", name: uid, apiVersion: "authentication.k8s.io/v1" });
  return badRequest(`requested [${refs.map(objectRefV).join(" ")}] without impersonating a user`);
}

/**
 * WithAuthorization when the final authorizer call is not Allow and returned an error: a plain-text 500
 * (`http.Error`, not a Status) — `Internal Server Error: %q: %v` of the RequestURI, sanitised. The body
 * also ends in a newline, which is not part of this text.
 */
export function internalErrorMessage(requestURI: string, err: string): string {
  return visible(sanitize(`Internal Server Error: ${goQuote(requestURI)}: ${err}`));
}
