/**
 * SPEC §4 (attributes of every check) and §7 (TryMode, ConstrainedIdentity, LegacyIdentity): mode.go's
 * `constrainedImpersonationModeState.check` (impersonate-on first, then the caches) and
 * `impersonationModeState.check` (username → uid → groups → extra, sanity checks and the ≥4 wildcard
 * shortcut in constrained modes only). Names follow mode.go.
 */
import type { Check, CheckAttributes, Constraint, ModeName, UserInfo } from "../core/index.ts";
import { CONSTRAINED_MODES, SYSTEM_MASTERS } from "../core/index.ts";
import type { AuthorizerAnswer, RequestAttributes } from "./authorizer.ts";
import { entriesOf, innerFind, innerSet, outerFind, outerSet } from "./caches.ts";
import { asUser, checkAttributes, withName } from "./check-attributes.ts";
import { checkShape, type CheckShape } from "./check-shape.ts";
import { asciiLower, goQuote, hasEscape, visible } from "./go-text.ts";
import type { ExtraEntry, WantedUser } from "./headers.ts";
import { NODE_GROUPS, resultingUser, sharedServiceAccountGroups, visibleUser, wantedAsUser } from "./identity.ts";
import { internalize } from "./internalize.ts";
import { constrainedReason, denial, type Denial, type TemplateCell } from "./messages.ts";
import { hasString } from "./string-list.ts";
import type { FilterContext, FilterRequest, ModeResult, RequestShapes } from "./types.ts";
import { aggregateError, isDomainPrefixedPath, nodeNameOf, splitServiceAccountUsername } from "./validation.ts";

export const AUTHENTICATION_GROUP = "authentication.k8s.io";
/** mode.go manyAuthorizationChecksInLoop: from this many groups, extra keys or extra values, try `*` first. */
export const MANY_AUTHORIZATION_CHECKS_IN_LOOP = 4;

/** One mode's identity-check settings (mode.go newImpersonationModeState). */
export interface ModeState {
  readonly verb: string;
  readonly isConstrainedImpersonation: boolean;
  /** Group/version of users and groups: authentication.k8s.io/v1, or core v1 for legacy. */
  readonly usernameAndGroupGroup: string;
  readonly constraint: Constraint;
  /** associated-node's authorizer wrapper: every check it makes is rewritten (R', name `*`). */
  readonly wrap?: (a: CheckAttributes, requestor: UserInfo) => CheckAttributes;
  /** The shapes of the identity checks with this verb (`identityShapes`). */
  readonly shapes: IdentityShapes;
}

/** The shape (check-shape.ts) of each kind of identity check a mode with this verb makes. */
export interface IdentityShapes {
  readonly users: CheckShape;
  readonly serviceaccounts: CheckShape;
  readonly nodes: CheckShape;
  readonly uids: CheckShape;
  readonly groups: CheckShape;
  readonly userextras: CheckShape;
}

export function identityShapes(verb: string): IdentityShapes {
  const shape = (resource: string): CheckShape => checkShape(verb, true, resource);
  return {
    users: shape("users"), serviceaccounts: shape("serviceaccounts"), nodes: shape("nodes"),
    uids: shape("uids"), groups: shape("groups"), userextras: shape("userextras"),
  };
}

function visibleAttributes(a: CheckAttributes): CheckAttributes {
  const dirty =
    hasEscape(a.verb) || hasEscape(a.namespace) || hasEscape(a.group) || hasEscape(a.version) || hasEscape(a.resource) ||
    hasEscape(a.subresource) || hasEscape(a.name) || hasEscape(a.path);
  const user = visibleUser(a.user);
  if (!dirty) return user === a.user ? a : asUser(a, user);
  return checkAttributes(
    user, visible(a.verb), a.resourceRequest, visible(a.namespace), visible(a.group), visible(a.version),
    visible(a.resource), visible(a.subresource), visible(a.name), visible(a.path), a,
  );
}

/**
 * Ask the authorizer and record the check as the recorder would see it. An `indeterminate` answer makes
 * every later output undecidable; for an impersonation check (not `final`) it also means the server's
 * caches or mode index may now differ from the model, which the caller records as a taint.
 */
export function authorize(ctx: FilterContext, a: CheckAttributes, shape: CheckShape, final = false): AuthorizerAnswer {
  const answer = ctx.authorizer.authorize(a, shape);
  const attributes = ctx.clean ? a : visibleAttributes(a);
  const { decision, decidedBy, reason } = answer;
  ctx.checks[ctx.checkCount++] = reason ? { attributes, decision, decidedBy, reason } : ({ attributes, decision, decidedBy } satisfies Check);
  if (answer.indeterminate !== undefined) {
    const reason = `authorizer could not decide ${a.verb} ${a.resource || a.path} ${JSON.stringify(a.name)}: ${answer.indeterminate}`;
    if (!final) ctx.uncertain ??= reason;
    const fields = final ? (["outcome", "code", "message"] as const) : (["checks", "outcome", "code", "message", "user"] as const);
    for (const field of fields) ctx.notes.push({ field, reason });
  }
  return answer;
}

/** mode.go checkAuthorization: nil when allowed (an error alongside Allow is ignored), else the 403. */
export function checkAuthorization(ctx: FilterContext, a: CheckAttributes, shape: CheckShape, template?: TemplateCell): Denial | null {
  const answer = authorize(ctx, a, shape);
  if (answer.decision === "allow") return null;
  return denial(a, constrainedReason(answer), answer.reasonIndeterminate, template);
}

/** mode.go impersonationAttributes. */
export function impersonationAttributes(user: UserInfo, group: string, verb: string, resource: string, name: string): CheckAttributes {
  return checkAttributes(user, verb, true, "", group, "v1", resource, "", name, "");
}

/** The SAR-shaped attributes of the request itself, made as `user` (GetAuthorizerAttributes + WithUser). */
export function requestCheckAttributes(a: RequestAttributes, user: UserInfo): CheckAttributes {
  return requestAttributesAs(a, user, a.verb);
}

function requestAttributesAs(a: RequestAttributes, user: UserInfo, verb: string): CheckAttributes {
  return checkAttributes(user, verb, a.resourceRequest, a.namespace, a.group, a.version, a.resource, a.subresource, a.name, a.path, a);
}

/**
 * The shapes and impersonate-on verbs of the checks made of the request's own attributes (index.ts keeps
 * them with each distinct request). The verbs are internalized: RBAC rules hold them so.
 */
export function requestShapes(a: RequestAttributes): RequestShapes {
  const onVerbs = CONSTRAINED_MODES.map((mode) => internalize(`impersonate-on:${mode}:${a.verb}`));
  return {
    final: checkShape(a.verb, a.resourceRequest, a.resource),
    onVerbs,
    on: onVerbs.map((verb) => checkShape(verb, a.resourceRequest, a.resource)),
  };
}

/** The request's shapes; a request made by hand (upstream's cases) has none kept, so they are made here. */
export function shapesOf(r: FilterRequest): RequestShapes {
  return r.shapes ?? requestShapes(r.attributes);
}

/** C1 / C1' of constrained mode `modeIndex`: the request's own attributes with the verb rewritten (mode.go impersonateOnAttributes). */
export function impersonateOnAttributes(ctx: FilterContext, shapes: RequestShapes, modeIndex: number, requestor: UserInfo): CheckAttributes {
  return requestAttributesAs(ctx.request.attributes, requestor, shapes.onVerbs[modeIndex]!);
}

function check(ctx: FilterContext, m: ModeState, requestor: UserInfo, a: CheckAttributes, shape: CheckShape, template?: TemplateCell): Denial | null {
  return checkAuthorization(ctx, m.wrap ? m.wrap(a, requestor) : a, shape, template);
}

/** fmt `%q` of a []string: `["a" "b"]`. */
const quoteSlice = (xs: readonly string[]): string => `[${xs.map(goQuote).join(" ")}]`;

/** authorizeUsername: returns the 403 or the groups the resulting user starts from. */
export function authorizeUsername(ctx: FilterContext, m: ModeState, requestor: UserInfo, w: WantedUser): Denial | readonly string[] {
  // Upstream builds the `users` attributes and replaces them for a node or a service account; only the
  // last ones are ever asked about or printed, so only they are made here. The two prefixes exclude
  // each other: a node name is never a service-account name.
  const node = m.isConstrainedImpersonation ? nodeNameOf(w.name) : null;
  if (node !== null) {
    const attrs = impersonationAttributes(requestor, m.usernameAndGroupGroup, m.verb, "nodes", node);
    // "this should be impossible to reach": the mode filters admit node names only without groups.
    if (w.groups) return denial(attrs, `when impersonating a node, cannot impersonate groups ${quoteSlice(w.groups)}`);
    return check(ctx, m, requestor, attrs, m.shapes.nodes) ?? NODE_GROUPS;
  }
  const sa = splitServiceAccountUsername(w.name);
  if (sa !== null) {
    const attrs = checkAttributes(requestor, m.verb, true, sa.namespace, m.usernameAndGroupGroup, "v1", "serviceaccounts", "", sa.name, "");
    if (m.isConstrainedImpersonation && w.groups) {
      return denial(attrs, `when impersonating a service account, cannot impersonate groups ${quoteSlice(w.groups)}`);
    }
    return check(ctx, m, requestor, attrs, m.shapes.serviceaccounts) ?? w.groups ?? sharedServiceAccountGroups(sa.namespace);
  }
  const attrs = impersonationAttributes(requestor, m.usernameAndGroupGroup, m.verb, "users", w.name);
  return check(ctx, m, requestor, attrs, m.shapes.users) ?? w.groups ?? NO_GROUPS;
}

const NO_GROUPS: readonly string[] = [];

export function authorizeUID(ctx: FilterContext, m: ModeState, requestor: UserInfo, uid: string): Denial | null {
  if (uid.length === 0) return null;
  return check(ctx, m, requestor, impersonationAttributes(requestor, AUTHENTICATION_GROUP, m.verb, "uids", uid), m.shapes.uids);
}

export function authorizeGroups(ctx: FilterContext, m: ModeState, requestor: UserInfo, groups: readonly string[] | null): Denial | null {
  if (!groups || groups.length === 0) return null;
  const a = impersonationAttributes(requestor, m.usernameAndGroupGroup, m.verb, "groups", "");
  if (m.isConstrainedImpersonation) {
    // Sanity checks that would break legacy impersonation; no authorizer call.
    if (hasString(groups, "")) return denial(a, "impersonating the empty string group is not allowed");
    if (hasString(groups, SYSTEM_MASTERS)) {
      return denial(withName(a, SYSTEM_MASTERS), "impersonating the system:masters group is not allowed");
    }
    // A denied wildcard is not an error: fall through to the individual checks.
    if (groups.length >= MANY_AUTHORIZATION_CHECKS_IN_LOOP && check(ctx, m, requestor, withName(a, "*"), m.shapes.groups) === null) return null;
  }
  for (const g of groups) {
    const err = check(ctx, m, requestor, withName(a, g), m.shapes.groups);
    if (err) return err;
  }
  return null;
}

/** The first validateExtra failure of one key, or null (mode.go validateExtra, one loop iteration). */
export function validateExtraKey(key: string, values: readonly string[]): string | null {
  if (key.length === 0) return "impersonating the empty string key in extra is not allowed";
  const errs = isDomainPrefixedPath("extra.key", key);
  if (errs.length > 0) return `impersonating an invalid key in extra is not allowed: ${aggregateError(errs)}`;
  // Keys that pass the path check are ASCII, so strings.ToLower is ASCII lower-casing here.
  if (key !== asciiLower(key)) return `impersonating a non-lowercase key in extra is not allowed: ${goQuote(key)}`;
  if (values.length === 0) return "impersonating empty values in extra is not allowed";
  if (values.includes("")) return "impersonating the empty string value in extra is not allowed";
  return null;
}

/** validateExtra: the keys are ranged in map order, so with several failing keys the reported one is a choice. */
export function validateExtra(ctx: FilterContext, extra: readonly ExtraEntry[]): string | null {
  const failures: string[] = [];
  for (const e of extra) {
    const msg = validateExtraKey(e.key, e.values);
    if (msg !== null && !failures.includes(msg)) failures.push(msg);
  }
  if (failures.length === 0) return null;
  return failures[ctx.order.pick(failures.length)]!;
}

export function isLargeExtra(extra: readonly ExtraEntry[]): boolean {
  if (extra.length >= MANY_AUTHORIZATION_CHECKS_IN_LOOP) return true;
  let count = 0;
  for (const e of extra) count += e.values.length;
  return count >= MANY_AUTHORIZATION_CHECKS_IN_LOOP;
}

export function authorizeExtra(ctx: FilterContext, m: ModeState, requestor: UserInfo, extra: readonly ExtraEntry[] | null): Denial | null {
  if (!extra || extra.length === 0) return null;
  const a = impersonationAttributes(requestor, AUTHENTICATION_GROUP, m.verb, "userextras", "");
  if (m.isConstrainedImpersonation) {
    const invalid = validateExtra(ctx, extra);
    if (invalid !== null) return denial(a, invalid);
    if (isLargeExtra(extra) && check(ctx, m, requestor, withName(a, "*", "*"), m.shapes.userextras) === null) return null;
  }
  for (const e of ctx.order.mapOrder(extra)) {
    for (const v of e.values) {
      const err = check(ctx, m, requestor, withName(a, v, e.key), m.shapes.userextras);
      if (err) return err;
    }
  }
  return null;
}

/** impersonationModeState.check without its cache: ConstrainedIdentity (§7) or LegacyIdentity. */
export function identityCheck(ctx: FilterContext, m: ModeState, requestor: UserInfo, w: WantedUser): Denial | UserInfo {
  const groups = authorizeUsername(ctx, m, requestor, w);
  if (!Array.isArray(groups)) return groups as Denial;
  const err =
    authorizeUID(ctx, m, requestor, w.uid) ?? authorizeGroups(ctx, m, requestor, w.groups) ?? authorizeExtra(ctx, m, requestor, w.extra);
  return err ?? resultingUser(w, groups as readonly string[]);
}

/**
 * constrainedImpersonationModeState.check after the filter passed (§7 TryMode c–g): outer cache →
 * impersonate-on (C1/C1') → inner cache → identity checks; successes are cached, denials never.
 * The caches key on (wanted user, requestor), or on associated-node's own pair: `keyWanted` (undefined:
 * the wanted user made from the headers, only when a key is needed) and `keyRequestor`.
 */
export function constrainedCheck(
  ctx: FilterContext,
  modeIndex: number,
  modeName: Exclude<ModeName, "legacy">,
  m: ModeState,
  requestor: UserInfo,
  w: WantedUser,
  keyWanted: UserInfo | undefined,
  keyRequestor: UserInfo,
): ModeResult {
  let wanted = keyWanted;
  const outerEntries = entriesOf(ctx, modeIndex, "outer", keyRequestor);
  if (outerEntries !== undefined) {
    const outer = outerFind(ctx, outerEntries, (wanted ??= wantedAsUser(w)), keyRequestor);
    if (outer) return { kind: "allowed", user: outer.user, constraint: outer.constraint, mode: modeName };
  }
  const shapes = shapesOf(ctx.request);
  // The wrapper (associated-node's R') changes only the user of C1', which no template holds.
  const c1 = impersonateOnAttributes(ctx, shapes, modeIndex, requestor);
  const denied = check(ctx, m, requestor, c1, shapes.on[modeIndex]!, ctx.request.templates?.on[modeIndex]);
  if (denied) return denied;
  let user: UserInfo | undefined;
  const innerEntries = entriesOf(ctx, modeIndex, "inner", keyRequestor);
  if (innerEntries !== undefined) user = innerFind(ctx, innerEntries, (wanted ??= wantedAsUser(w)), keyRequestor)?.user;
  if (user === undefined) {
    const res = identityCheck(ctx, m, requestor, w);
    if (!("username" in res)) return res;
    user = res;
    innerSet(ctx, modeIndex, (wanted ??= wantedAsUser(w)), keyRequestor, user, m.constraint);
  }
  outerSet(ctx, modeIndex, (wanted ??= wantedAsUser(w)), keyRequestor, user, m.constraint);
  return { kind: "allowed", user, constraint: m.constraint, mode: modeName };
}
