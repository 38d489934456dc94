/**
 * The prediction engine behind index.ts, free of the attribution and authorizer-chain modules so unit
 * tests can drive it with a fake authorizer and hand-made request attributes, as upstream's tests do.
 *
 * One request (SPEC §7 HandleRequest, then §2's WithAuthorization):
 *  1. headers (§5) → transport 400 | 400 BadRequest (§10.1) | no impersonation | wanted user;
 *  2. gate ON: the mode loop (tracker.ts); gate OFF: legacy-filter.ts;
 *  3. unless the filter answered, the final authorization of the request as the resulting user
 *     (Allow → the handler decides: code/message null; error → plain-text 500; else 403 naming that user).
 * Go map order (order.ts): the primary run uses wire order; if any range had a choice, the request is
 * re-run under every order on the untouched state and distinct results become `alternatives`.
 */
import type { Check, Constraint, HttpRequest, Indeterminate, ModeName, Outcome, Prediction, UserInfo } from "../core/index.ts";
import type { Authorizer } from "./authorizer.ts";
import { authorize, requestCheckAttributes, shapesOf } from "./checks.ts";
import { mergeOrderMatters, parseImpersonationHeaders, type ExtraEntry, type HeaderParse, type WantedUser } from "./headers.ts";
import { visibleUser } from "./identity.ts";
import { legacyImpersonationFilter } from "./legacy-filter.ts";
import { badRequestGateOff, badRequestGateOn, forbiddenStatus, internalErrorMessage, renderDenial, type StatusBody } from "./messages.ts";
import { PrimaryOrder, ScriptedOrder, allCombinations, type OrderChooser } from "./order.ts";
import { StateAccess, type OracleState } from "./state.ts";
import { getImpersonatedUser } from "./tracker.ts";
import { newCheckList, usedChecks, type FilterContext, type FilterRequest } from "./types.ts";
import { CACHE_TTL_MS } from "./state.ts";

/** One admissible (checks, message, user) when Go map order makes the request's outputs vary. */
export interface Alternative {
  readonly checks: readonly Check[];
  readonly message: string | null;
  readonly user: UserInfo | null;
}

export interface OraclePrediction extends Prediction {
  /** The Status body of a 400/403 (details included); null when allowed, not a Status (500), or transport. */
  readonly status: StatusBody | null;
  /** Present when Go map order makes checks/message/user vary: every admissible result, primary first. */
  readonly alternatives?: readonly Alternative[];
}

export interface EngineOptions {
  readonly gate: boolean;
  /** Include the final WithAuthorization check (default true; upstream's filter tests stop before it). */
  readonly finalAuthorization?: boolean;
}

export interface PredictInput {
  readonly authorizer: Authorizer;
  /** The authenticated requestor as the server sees it (system:authenticated already appended). */
  readonly requestor: UserInfo;
  readonly headers: HttpRequest["headers"];
  readonly request: FilterRequest;
  /** The raw request-target, for the 500 text of WithAuthorization. */
  readonly requestURI: string;
}

/** Above this many orders the oracle names the fields indeterminate instead of listing alternatives. */
export const MAX_ORDER_COMBINATIONS = 720;

/**
 * One run's result, already shaped as the prediction (same fields in the same order, so the primary run's
 * object becomes the prediction without a copy): `user` is the visible user, `indeterminate` this run's
 * notes and `status` may still carry its oracle-internal `uncertain` until `predictWith` finishes it.
 */
interface RunOutput {
  readonly code: number | null;
  readonly outcome: Outcome;
  readonly message: string | null;
  readonly checks: Check[];
  readonly user: UserInfo | null;
  readonly constraint: Constraint;
  readonly mode: ModeName | null;
  indeterminate: readonly Indeterminate[];
  status: StatusBody | null;
  alternatives?: readonly Alternative[];
}

/** Merged header spellings: fix the value order of each ambiguous key for this run. */
function resolveWanted(w: WantedUser, order: OrderChooser): WantedUser {
  if (!w.extra || !w.extra.some(mergeOrderMatters)) return w;
  return orderedExtra(w, w.extra, order);
}

// Apart from resolveWanted, which runs for every impersonating request: a closure over `order` there
// would make V8 allocate a context on every call, though merged spellings are rare.
function orderedExtra(w: WantedUser, extra: readonly ExtraEntry[], order: OrderChooser): WantedUser {
  return { ...w, extra: extra.map((e) => (mergeOrderMatters(e) ? { ...e, values: order.mapOrder(e.sources).flatMap((s) => s.values) } : e)) };
}

const DIRTY = /[\udc00-\udfff]/;

/** Escapes can only come from header bytes or the decoded URL; the requestor is JSON text. */
function isCleanRequest(parse: HeaderParse, r: FilterRequest): boolean {
  if (parse.kind !== "none" && parse.kind !== "transport-rejected" && !parse.clean) return false;
  if (r.clean !== undefined) return r.clean;
  const a = r.attributes;
  let clean = cleanAttributes.get(a);
  if (clean === undefined) {
    clean = attributesAreClean(a);
    cleanAttributes.set(a, clean);
  }
  return clean;
}

/** No string of the request's attributes holds an invalid-byte escape (go-text.ts). */
export function attributesAreClean(a: FilterRequest["attributes"]): boolean {
  return !(DIRTY.test(a.namespace) || DIRTY.test(a.resource) || DIRTY.test(a.subresource) || DIRTY.test(a.name) || DIRTY.test(a.path) ||
    DIRTY.test(a.verb) || DIRTY.test(a.group) || DIRTY.test(a.version) || (a.fieldSelector !== undefined && DIRTY.test(JSON.stringify(a.fieldSelector))) ||
    (a.labelSelector !== undefined && DIRTY.test(JSON.stringify(a.labelSelector))));
}

/** For requests made by hand (no `clean`): attributes are immutable and shared, so each object is scanned once. */
const cleanAttributes = new WeakMap<FilterRequest["attributes"], boolean>();

function output(
  ctx: FilterContext, code: number | null, outcome: Outcome, message: string | null, status: StatusBody | null,
  user: UserInfo | null, constraint: Constraint, mode: ModeName | null,
): RunOutput {
  // Every check is made by now (newCheckList). A copy of the used part rather than `length =`: setting
  // an array's length is a call into the runtime, and this runs for every request.
  const checks = usedChecks(ctx.checks, ctx.checkCount);
  // A clean request's resulting user is clean: its strings come from the headers, fixed groups or the
  // requestor (JSON text, see isCleanRequest).
  const visible = user === null || ctx.clean ? user : visibleUser(user);
  return { code, outcome, message, checks, user: visible, constraint, mode, indeterminate: ctx.notes, status };
}

function fail(ctx: FilterContext, status: StatusBody, outcome: Outcome): RunOutput {
  return output(ctx, status.code, outcome, status.message, status, null, "", null);
}

/**
 * One run of the filter and WithAuthorization; its notes are appended to `notes`. An impersonation check
 * the authorizer model could not decide taints the requestor's state (queued on `access`, so only a
 * committed run's taint lands).
 */
function runOnce(
  options: EngineOptions, input: PredictInput, requestor: UserInfo, parse: HeaderParse, access: StateAccess, order: OrderChooser, notes: Indeterminate[],
): RunOutput {
  const ctx: FilterContext = {
    authorizer: input.authorizer, access, order, request: input.request, checks: newCheckList(), checkCount: 0, notes, clean: isCleanRequest(parse, input.request),
  };
  const out = runFilter(options, input, requestor, parse, ctx);
  if (ctx.uncertain !== undefined) {
    const name = requestor.username;
    access.taint(name, { until: Number.POSITIVE_INFINITY, reason: `earlier request of ${JSON.stringify(name)}: ${ctx.uncertain}` });
  }
  return out;
}

function runFilter(options: EngineOptions, input: PredictInput, requestor: UserInfo, parse: HeaderParse, ctx: FilterContext): RunOutput {
  const order = ctx.order;

  // Answers before authentication (Go's URL/header parsing, RequestInfo): plain text, no filter, no checks.
  // Outcome follows observe-probe.ts, which classifies by status: only 403 and the header 400 are denials.
  const early = input.request.attributes.earlyFailure;
  if (parse.kind === "transport-rejected" || early) {
    const why = parse.kind === "transport-rejected" ? parse.reason : early!.reason;
    ctx.notes.push({ field: "message", reason: `answered before authentication in plain text: ${why}` });
    const code = parse.kind === "transport-rejected" ? 400 : early!.code;
    return output(ctx, code, "allowed", null, null, null, "", null);
  }
  if (parse.kind === "bad-request") {
    const status = options.gate
      ? badRequestGateOn(resolveWanted(parse.wanted, order))
      : badRequestGateOff(parse.wanted.groups, order.mapOrder(parse.extraHeaders), parse.wanted.uid);
    return fail(ctx, status, "bad-request");
  }
  let user = requestor;
  let constraint: Constraint = "";
  let mode: ModeName | null = null;
  if (parse.kind === "impersonate") {
    const res = options.gate
      ? getImpersonatedUser(ctx, resolveWanted(parse.wanted, order), requestor)
      : legacyImpersonationFilter(ctx, parse.wanted, parse.extraHeaders, requestor);
    if (res.kind === "denied") {
      if (res.uncertain) ctx.notes.push({ field: "message", reason: res.uncertain });
      return fail(ctx, renderDenial(res, ctx.clean), "impersonation-denied");
    }
    ({ user, constraint, mode } = res);
  }
  if (options.finalAuthorization === false) {
    return output(ctx, null, "allowed", null, null, user, constraint, mode);
  }
  const final = requestCheckAttributes(input.request.attributes, user);
  const answer = authorize(ctx, final, shapesOf(input.request).final, true);
  if (answer.decision === "allow") return output(ctx, null, "allowed", null, null, user, constraint, mode);
  if (answer.reasonIndeterminate !== undefined) ctx.notes.push({ field: "message", reason: answer.reasonIndeterminate });
  if (answer.error !== undefined) {
    // WithAuthorization: not allowed + error → plain-text 500. observe-probe.ts counts any status but 403
    // (and the header 400) as `allowed`, so that is the outcome here too.
    const message = internalErrorMessage(input.requestURI, answer.error);
    return output(ctx, 500, "allowed", message, null, user, constraint, mode);
  }
  const status = forbiddenStatus(final, answer.reason, ctx.clean, input.request.templates?.final);
  return output(ctx, 403, "request-denied", status.message, status, user, constraint, mode);
}

function publicStatus(s: StatusBody): StatusBody {
  if (s.uncertain === undefined) return s;
  const { uncertain: _u, ...rest } = s;
  return rest;
}

const altKey = (a: Alternative): string => JSON.stringify([a.checks, a.message, a.user]);

function dedupeNotes(notes: readonly Indeterminate[]): readonly Indeterminate[] {
  if (notes.length < 2) return notes;
  const out: Indeterminate[] = [];
  for (const n of notes) if (!out.some((o) => o.field === n.field && o.reason === n.reason)) out.push(n);
  return out;
}

/**
 * Predict one request against `state` at clock time `now`. The returned state is `state` itself, updated
 * (copyOnWrite false), or a new value sharing every map the request did not write (copyOnWrite true).
 */
export function predictRequest(
  state: OracleState,
  now: number,
  options: EngineOptions,
  input: PredictInput,
  copyOnWrite = false,
): { prediction: OraclePrediction; state: OracleState } {
  const access = new StateAccess(state, now, copyOnWrite);
  const prediction = predictWith(access, state, now, options, input);
  return { prediction, state: access.result };
}

/** predictRequest on `state` itself, which the request updates (createOracle's form): the prediction alone. */
export function predictInPlace(state: OracleState, now: number, options: EngineOptions, input: PredictInput): OraclePrediction {
  return predictWith(new StateAccess(state, now, false), state, now, options, input);
}

function predictWith(access: StateAccess, state: OracleState, now: number, options: EngineOptions, input: PredictInput): OraclePrediction {
  const parse = parseImpersonationHeaders(input.headers);
  // The requestor object the state already holds for this user, when equal: cache lookups then match
  // its entries by identity instead of comparing the users field by field. Only an impersonating
  // request reads or writes the state, so no other looks the name up.
  const requestor = parse.kind === "impersonate" ? access.canonicalRequestor(input.requestor) : input.requestor;
  const name = requestor.username;
  const notes: Indeterminate[] = [];
  const taint = parse.kind === "impersonate" ? access.taintOf(name) : undefined;
  if (taint) for (const field of ["checks", "outcome", "code", "message", "user"] as const) notes.push({ field, reason: taint.reason });

  const primary = new PrimaryOrder();
  const out = runOnce(options, input, requestor, parse, access, primary, notes);
  const user = out.user;
  let alternatives: Alternative[] | undefined;
  if (primary.radices.length > 0) {
    const primaryAlt: Alternative = { checks: out.checks, message: out.message, user };
    const combos = allCombinations(primary.radices, MAX_ORDER_COMBINATIONS);
    if (combos === null) {
      const reason = `Go map iteration order: more than ${MAX_ORDER_COMBINATIONS} orders of extra keys/headers`;
      for (const field of ["checks", "message", "user"] as const) notes.push({ field, reason });
    } else {
      const seen = new Map<string, Alternative>([[altKey(primaryAlt), primaryAlt]]);
      for (const digits of combos.slice(1)) {
        const alt = runOnce(options, input, requestor, parse, new StateAccess(state, now, false), new ScriptedOrder(digits), []);
        const a: Alternative = { checks: alt.checks, message: alt.message, user: alt.user };
        const k = altKey(a);
        if (!seen.has(k)) seen.set(k, a);
      }
      // Exactly enumerated: the fields stay determinate and compare/ accepts any alternative.
      if (seen.size > 1) alternatives = [...seen.values()];
    }
  }
  if (options.gate && out.constraint !== "" && parse.kind === "impersonate" && parse.wanted.extra?.some(mergeOrderMatters)) {
    // The cache keys of this success hold the extra values in an order the oracle cannot know.
    access.taint(name, { until: now + CACHE_TTL_MS, reason: `cache entries of ${JSON.stringify(name)} were keyed on a Go-map-ordered merge of extra headers` });
  }
  access.commit();
  // The primary run's output becomes the prediction.
  out.indeterminate = dedupeNotes(notes);
  if (out.status !== null) out.status = publicStatus(out.status);
  if (alternatives) out.alternatives = alternatives;
  return out;
}
