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
import { CONSTRAINED_MODES, type CheckAttributes } from "../core/index.ts";
import type { AuthorizerAnswer } from "./authorizer.ts";
import { compareGo, goQuote, visible } from "./go-text.ts";
import type { ExtraHeader, WantedUser } from "./headers.ts";
import { finalizeHash, mixFold } from "./slot-hash.ts";
import type { RequestTemplates } from "./types.ts";

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
  return messageOf(a, printed(a), false);
}

// What printing one string needs, from one char scan: these strings are a few characters long and a
// 403 prints up to seven of them, so each is scanned once rather than once per question (or per regex).
const QUOTE_ESCAPES = 1; // strconv.Quote does more than add the quotes
const SANITIZED = 2; // holds one of `&<>`, which the forbiddenMessage sanitiser rewrites
const ESCAPE = 4; // holds an invalid-byte escape (go-text.ts), which `visible` rewrites

/**
 * `scan(s) === 0` for the name of every 403: printable ASCII but `"`, `\`, `&`, `<` and `>`. A RegExp, as
 * names are often strings made by concatenation, which a charCodeAt loop reads through an indirection
 * per char while a RegExp reads the flattened string.
 */
const PLAIN = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

function scan(s: string): number {
  let f = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      if (c === 0x22 || c === 0x5c) f |= QUOTE_ESCAPES;
      else if (c === 0x26 || c === 0x3c || c === 0x3e) f |= SANITIZED;
    } else {
      f |= QUOTE_ESCAPES;
      if (c >= 0xdc00 && c <= 0xdfff) f |= ESCAPE;
    }
  }
  return f;
}

// The scans of the strings forbiddenMessage prints, packed into one number (no object per 403): the
// resource is printed as resource[/subresource], the path only by non-resource requests.
const USER = 0;
const VERB = 3;
const PATH = 6;
const RESOURCE = 9;
const GROUP = 12;
const NAMESPACE = 15;
const ANY_SANITIZED = (SANITIZED << USER) | (SANITIZED << VERB) | (SANITIZED << PATH) | (SANITIZED << RESOURCE) | (SANITIZED << GROUP) | (SANITIZED << NAMESPACE);
const ANY_ESCAPE = ANY_SANITIZED << 1;

function printed(a: CheckAttributes): number {
  const common = (scan(a.user.username) << USER) | (scan(a.verb) << VERB);
  if (!a.resourceRequest) return common | (scan(a.path) << PATH);
  return common | ((scan(a.resource) | scan(a.subresource)) << RESOURCE) | (scan(a.group) << GROUP) | (scan(a.namespace) << NAMESPACE);
}

/**
 * `before + %q(s) + after`, where `before` ends and `after` starts with a `"`: for a string that needs
 * no escaping those are its quotes, and no quoted copy of it is made.
 */
function quotedIn(before: string, s: string, flags: number, after: string): string {
  return (flags & QUOTE_ESCAPES) === 0 ? before + s + after : before.slice(0, -1) + goQuote(s) + after.slice(1);
}

/**
 * forbiddenMessage's text, `sanitize`d when asked. Its fixed text holds no `&<>` and `%q` neither adds
 * nor removes them, so it needs sanitising iff a printed string holds one: the scans say so without
 * flattening the whole message. Built with `+`, not joined: a 403 is built for over half of all
 * requests and read by few, and a rope is flattened once by whoever reads it.
 */
function messageOf(a: CheckAttributes, p: number, sanitized: boolean): string {
  const text = quotedIn('User "', a.user.username, p >> USER, '" cannot ') + actionOf(a, p);
  return sanitized && (p & ANY_SANITIZED) !== 0 ? sanitize(text) : text;
}

/** forbiddenMessage after `cannot `: the verb and what it was denied on. */
function actionOf(a: CheckAttributes, p: number): string {
  if (!a.resourceRequest) return a.verb + quotedIn(' path "', a.path, p >> PATH, '"');
  const resource = a.subresource ? a.resource + "/" + a.subresource : a.resource;
  const text = a.verb + quotedIn(' resource "', resource, p >> RESOURCE, '"') + quotedIn(' in API group "', a.group, p >> GROUP, '"');
  return text + (a.namespace ? quotedIn(' in the namespace "', a.namespace, p >> NAMESPACE, '"') : " at the cluster scope");
}

/** NewForbidden's prefix: `forbidden: `, `<resource>[.<group>] is forbidden: ` or `<resource>[.<group>] %q is forbidden: `. */
function forbiddenPrefix(a: CheckAttributes): string {
  if (a.group === "" && a.resource === "") return "forbidden: ";
  const gr = a.group ? a.resource + "." + a.group : a.resource;
  return a.name === "" ? gr + " is forbidden: " : gr + quotedIn(' "', a.name, scan(a.name), '" is forbidden: ');
}

/**
 * responsewriters.ForbiddenStatusError(attributes, reason) → apierrors.NewForbidden. `clean`: the
 * attributes' strings are known to hold no invalid byte (FilterContext.clean), so the details need no
 * `visible` pass (the message still gets one: the authorizer's reason is in it).
 */
export function forbiddenStatus(a: CheckAttributes, reason: string, clean = false, cell?: TemplateCell): StatusBody {
  const username = a.user.username;
  const t = cell === undefined ? plainTemplate(a) : cellTemplate(cell, a);
  // With every other printed string plain, the text is the template around the name: exactly what the
  // general path builds when the name and the reason need no quoting, sanitising or `visible` either.
  if (t !== null && PLAIN.test(username) && (reason === "" || (scan(reason) & ESCAPE) === 0)) {
    const message = reason === "" ? t.head + username + t.tail : t.head + username + t.tail + ": " + reason;
    return { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Forbidden", code: 403, message, details: t.details };
  }
  return composeForbiddenStatus(a, reason, clean);
}

/** forbiddenStatus from its pieces, whatever the strings hold (exported for the template's tests). */
export function composeForbiddenStatus(a: CheckAttributes, reason: string, clean: boolean): StatusBody {
  const p = printed(a);
  let message = forbiddenPrefix(a) + messageOf(a, p, true);
  if (reason) message += ": " + reason;
  return {
    kind: "Status", apiVersion: "v1", status: "Failure", reason: "Forbidden", code: 403,
    message: mayHoldEscape(a, p, reason, clean) ? visible(message) : message,
    details: detailsOf(a, clean),
  };
}

function detailsOf(a: CheckAttributes, clean: boolean): StatusDetails {
  const details: { name?: string; group?: string; kind?: string } = {};
  if (a.name) details.name = clean ? a.name : visible(a.name);
  if (a.group) details.group = clean ? a.group : visible(a.group);
  if (a.resource) details.kind = clean ? a.resource : visible(a.resource);
  return details;
}

/**
 * The user-independent parts of the 403 of one set of check attributes whose printed strings are all
 * plain (nothing to quote, sanitise or make visible): the message is `head + username + tail`. Over half
 * of all requests end in a 403, mostly on the same few attribute sets, and assembling the text from its
 * fifteen-odd pieces was most of the cost of a 403 and of its garbage. Details are shared: statuses are
 * never modified.
 */
interface ForbiddenTemplate {
  readonly resourceRequest: boolean;
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  readonly path: string;
  /** null: some printed string is not plain, so the general path applies. */
  readonly head: string | null;
  readonly tail: string;
  readonly details: StatusDetails;
}

// A direct-mapped table, bounded by construction: a slot holds the last attribute set hashed to it.
// A run meets some hundreds of sets (the bench: 544); with some ten thousand slots, two rarely share one.
const TEMPLATE_BITS = 14;
const templates: (ForbiddenTemplate | undefined)[] = new Array<ForbiddenTemplate | undefined>(1 << TEMPLATE_BITS).fill(undefined);

/** The table slot of `a`'s attribute set (exported for the tests, which make two sets share a slot). */
export function templateSlot(a: CheckAttributes): number {
  let h = a.resourceRequest ? 1 : 2;
  h = mixFold(mixFold(mixFold(mixFold(h, a.verb), a.resource), a.subresource), a.group);
  h = mixFold(mixFold(mixFold(h, a.namespace), a.name), a.path);
  return finalizeHash(h) & ((1 << TEMPLATE_BITS) - 1);
}

/** The template of `a`'s attribute set when its printed strings are plain, else null. */
function plainTemplate(a: CheckAttributes): PlainTemplate | null {
  const slot = templateSlot(a);
  let t = templates[slot];
  if (
    t === undefined || t.verb !== a.verb || t.resource !== a.resource || t.name !== a.name || t.namespace !== a.namespace ||
    t.group !== a.group || t.subresource !== a.subresource || t.path !== a.path || t.resourceRequest !== a.resourceRequest
  ) {
    templates[slot] = t = newTemplate(a);
  }
  return plainOrNull(t);
}

/** A template whose printed strings are all plain (`head` set). */
type PlainTemplate = ForbiddenTemplate & { readonly head: string };

function plainOrNull(t: ForbiddenTemplate): PlainTemplate | null {
  return t.head === null ? null : (t as PlainTemplate);
}

/**
 * Where a caller keeps the template of one attribute set it knows to recur: the checks made of a
 * request's own attributes (its final authorization, its impersonate-on check per mode) print the same
 * strings for every requestor, so their template is made once per distinct request and found without
 * hashing the attributes (some 500 instructions per 403 in the bench). Filled on first use.
 */
export interface TemplateCell {
  template: ForbiddenTemplate | undefined;
}

/** Room for the templates of a request's own checks (index.ts keeps it with each distinct request). */
export function requestTemplates(): RequestTemplates {
  const cell = (): TemplateCell => ({ template: undefined });
  return { final: cell(), on: CONSTRAINED_MODES.map(cell) };
}

function cellTemplate(cell: TemplateCell, a: CheckAttributes): PlainTemplate | null {
  return plainOrNull((cell.template ??= newTemplate(a)));
}

function newTemplate(a: CheckAttributes): ForbiddenTemplate {
  const plain = (scan(a.verb) | scan(a.group) | scan(a.resource) | scan(a.subresource) | scan(a.namespace) | scan(a.name) | scan(a.path)) === 0;
  return {
    resourceRequest: a.resourceRequest, verb: a.verb, group: a.group, resource: a.resource, subresource: a.subresource,
    namespace: a.namespace, name: a.name, path: a.path,
    head: plain ? forbiddenPrefix(a) + 'User "' : null,
    tail: plain ? '" cannot ' + actionOf(a, 0) : "",
    details: detailsOf(a, true),
  };
}

/**
 * Whether the forbidden message of (a, reason) may hold an invalid-byte escape, i.e. whether `visible`
 * could change it. The message is fixed ASCII text around these strings (raw or `%q`-quoted; quoting
 * adds no surrogate), so it holds a code unit in U+DC00–U+DFFF only if one of them does: the scans of
 * those short strings spare flattening and scanning the whole message. `clean` (FilterContext.clean)
 * vouches for every string that came from the request or its headers.
 */
function mayHoldEscape(a: CheckAttributes, p: number, reason: string, clean: boolean): boolean {
  if (((p >> USER) & ESCAPE) !== 0 || (reason !== "" && (scan(reason) & ESCAPE) !== 0)) return true;
  if (clean) return false;
  if ((p & ANY_ESCAPE) !== 0) return true;
  // Printed only in the prefix, or not printed by a request of the other kind.
  return ((scan(a.name) | (a.resourceRequest ? scan(a.path) : scan(a.resource) | scan(a.subresource) | scan(a.group) | scan(a.namespace))) & ESCAPE) !== 0;
}

/**
 * A 403 of the filter before it is rendered. Upstream formats every error eagerly, but only the first
 * one is ever shown (§10.2), so the oracle renders it once, at the end (`renderDenial`).
 */
export interface Denial {
  readonly kind: "denied";
  readonly attributes: CheckAttributes;
  readonly reason: string;
  /** Where the template of `attributes` is kept, when the check's maker has a place for it (TemplateCell). */
  readonly template: TemplateCell | undefined;
  /** Why the reason text is uncertain (an authorizer's `reasonIndeterminate`). */
  readonly uncertain?: string;
}

export function denial(attributes: CheckAttributes, reason: string, uncertain?: string, template?: TemplateCell): Denial {
  return uncertain === undefined
    ? { kind: "denied", attributes, reason, template }
    : { kind: "denied", attributes, reason, template, uncertain };
}

export function renderDenial(d: Denial, clean = false): StatusBody {
  const s = forbiddenStatus(d.attributes, d.reason, clean, d.template);
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
