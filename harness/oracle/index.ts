/**
 * The oracle's public API: a pure model of what kube-apiserver answers to one request with respect to
 * impersonation (SPEC §2 chain position, §5–§11) — the impersonation filter, constrained (gate ON) or
 * legacy (gate OFF), then WithAuthorization — with the filter's per-process state kept explicit.
 *
 *   const oracle = createOracle({ gate: true, version: "1.37.2", clock });
 *   const p = oracle.predict(world, asAuthenticated(requestor), request);
 *
 * No I/O; time comes from the injected clock; state is an explicit `OracleState` (snapshot/restore, or
 * the functional `predictWithState`). Predictions carry every authorization the server makes in order
 * (the final one included), each with decision and deciding authorizer; undecidable fields are named in
 * `indeterminate`; Go-map-order variants are listed in `alternatives` (see order.ts).
 */
import type { Clock, HttpRequest, KubeVersion, UserInfo, World } from "../core/index.ts";
import { memoize2 } from "./attribution/memo.ts";
import { attributesFor } from "./attribution/request-info.ts";
import type { Authorizer } from "./authorizer.ts";
import { authorizerChainFor, type AuthorizerChainOptions } from "./authorizers/chain.ts";
import { requestShapes } from "./checks.ts";
import { requestTemplates } from "./messages.ts";
import { attributesAreClean, predictInPlace, predictRequest, type OraclePrediction } from "./predict.ts";
import { cloneState, emptyState, type OracleState } from "./state.ts";
import type { FilterRequest } from "./types.ts";

export interface OracleOptions {
  /** ConstrainedImpersonation gate: true → WithConstrainedImpersonation, false → WithImpersonation. */
  readonly gate: boolean;
  readonly version: KubeVersion;
  readonly clock: Clock;
  /** Passed to the authorizer chain when `predict` is given a World (names, Node feature gates). */
  readonly chain?: Omit<AuthorizerChainOptions, "kubeVersion">;
}

export interface Oracle {
  readonly options: OracleOptions;
  /**
   * Predict one request and update the oracle's state. `source` is the cluster's World (the chain of
   * privileged-groups → recording webhook → Node → RBAC is built and memoised) or any Authorizer.
   * `requestor` is the authenticated user as the server sees it (`asAuthenticated` already applied).
   */
  predict(source: World | Authorizer, requestor: UserInfo, request: HttpRequest): OraclePrediction;
  /** A snapshot; later predictions do not change it. */
  state(): OracleState;
  /** Continue from a snapshot (it is copied, so the snapshot stays reusable). */
  restore(state: OracleState): void;
}

function isAuthorizer(x: World | Authorizer): x is Authorizer {
  return typeof (x as Authorizer).authorize === "function";
}

export function authorizerFor(source: World | Authorizer, version: KubeVersion, chain?: OracleOptions["chain"]): Authorizer {
  return isAuthorizer(source) ? source : authorizerChainFor(source, { ...chain, kubeVersion: version });
}

/**
 * RequestInfo + GetAuthorizerAttributes for an HTTP request, in the shape the filter model takes.
 * Memoised on (method, path) like `attributesFor`: the value is immutable, and handing out the same
 * object for the same request lets the model's per-request memos hit.
 */
export function filterRequestFor(request: HttpRequest): FilterRequest {
  return memoFilterRequest(request.method, request.path);
}

const memoFilterRequest = memoize2(8192, (method: string, path: string): FilterRequest => {
  const attributes = attributesFor({ method, path, headers: [] });
  return {
    attributes, urlPath: attributes.path, clean: attributesAreClean(attributes), shapes: requestShapes(attributes), templates: requestTemplates(),
  };
});

export function createOracle(options: OracleOptions): Oracle {
  let current = emptyState();
  // One chain per World object for this oracle's options (authorizerChainFor's own memo keys on JSON).
  const chains = new WeakMap<World, Authorizer>();
  // The last World and its chain: a run predicts many requests against one World in a row, and a
  // WeakMap lookup per prediction is not free.
  let lastWorld: World | undefined;
  let lastChain: Authorizer | undefined;
  const authorizerOf = (source: World | Authorizer): Authorizer => {
    if (source === lastWorld) return lastChain!;
    if (isAuthorizer(source)) return source;
    let a = chains.get(source);
    if (!a) chains.set(source, (a = authorizerFor(source, options.version, options.chain)));
    lastWorld = source;
    lastChain = a;
    return a;
  };
  const engine = { gate: options.gate };
  return {
    options,
    predict(source, requestor, request) {
      return predictInPlace(current, options.clock.now(), engine, {
        authorizer: authorizerOf(source),
        requestor,
        headers: request.headers,
        request: filterRequestFor(request),
        requestURI: request.path,
      });
    },
    state: () => cloneState(current),
    restore(s) {
      current = cloneState(s);
    },
  };
}

/**
 * The functional form: `state` is left untouched and the returned state shares every map the request
 * did not write (copy-on-write), so replay and stateful model tests can branch cheaply.
 */
export function predictWithState(
  state: OracleState,
  options: Pick<OracleOptions, "gate" | "version" | "chain">,
  source: World | Authorizer,
  requestor: UserInfo,
  request: HttpRequest,
  now: number,
): { prediction: OraclePrediction; state: OracleState } {
  return predictRequest(state, now, { gate: options.gate }, {
    authorizer: authorizerFor(source, options.version, options.chain),
    requestor,
    headers: request.headers,
    request: filterRequestFor(request),
    requestURI: request.path,
  }, true);
}

export { emptyState, cloneState, forgetModeIndex, CACHE_TTL_MS, MODE_INDEX_CAPACITY } from "./state.ts";
export type { OracleState, CacheEntry, CacheView, ModeCaches, Taint } from "./state.ts";
export type { OraclePrediction, Alternative } from "./predict.ts";
export { predictRequest, MAX_ORDER_COMBINATIONS } from "./predict.ts";
export type { StatusBody, StatusDetails } from "./messages.ts";
export { VERSION_TRAITS, traitsOf, type VersionTraits } from "./versions.ts";
export { parseImpersonationHeaders, canonicalMIMEHeaderKey, extraKeyOf, type WantedUser, type HeaderParse } from "./headers.ts";
export { allModes, type ImpersonationMode } from "./modes/index.ts";
export type { FilterRequest } from "./types.ts";
export type { Authorizer, AuthorizerAnswer, RequestAttributes } from "./authorizer.ts";
