/**
 * The authorizer kube-apiserver asks, for the impersonation checks (SPEC §2, §4) and for the final
 * authorization of the request alike: the union (union.ts) of
 * 1. the system:masters authorizer the server always puts first (pkg/kubeapiserver/authorizer/reload.go;
 *    `authorizerfactory.NewPrivilegedGroups`): Allow, reason "", for any user in group system:masters;
 *    no opinion otherwise. Checks it answers never reach the recording webhook (`recorderCanSee`).
 * 2. the recording webhook (harness/webhooks): always NoOpinion — kept in the chain so decidedBy and the
 *    joined reason are what the server has, though it never decides;
 * 3. the Node authorizer (../node), 4. RBAC (../rbac),
 * as the harness's AuthorizationConfiguration orders them (Webhook → Node → RBAC).
 *
 * Neither Node nor RBAC ever denies, so the chain answers Allow or NoOpinion. With RBAC's reason
 * carrying its role errors and the union joining reasons, a NoOpinion reason reads e.g. (1.35/1.36)
 * `can only list/watch pods with spec.nodeName field selector\nRBAC: role.rbac.authorization.k8s.io "r" not found`
 * or, from 1.37, `node: can only list/watch …\nrbac: RBAC: role.rbac.authorization.k8s.io "r" not found`.
 *
 * Cost: RBAC and the Node graph index a World once (WeakMaps keyed by the World object), so building a
 * chain is cheap and every chain over the same World object shares the index; `authorizerChainFor`
 * additionally memoises the chain itself.
 */
import {
  DEFAULT_KUBE_VERSION,
  SYSTEM_MASTERS,
  minorOf,
  type CheckAttributes,
  type World,
} from "../../core/index.ts";
import type { Authorizer, AuthorizerAnswer } from "../authorizer.ts";
import { NO_SHAPE, type CheckShape } from "../check-shape.ts";
import { nodeAuthorizer, type NodeAuthorizerOptions } from "../node/node-authorizer.ts";
import { rbacAuthorizer } from "../rbac/rbac-authorizer.ts";
import { hasString } from "../string-list.ts";
import { unionAuthorize, type NamedAuthorizer } from "./union.ts";

export interface AuthorizerNames {
  readonly webhook: string;
  readonly node: string;
  readonly rbac: string;
}

/** The names in the harness's AuthorizationConfiguration (harness/cluster); 1.37+ prints them in reasons. */
export const DEFAULT_AUTHORIZER_NAMES: AuthorizerNames = { webhook: "recorder.impfuzz.dev", node: "node", rbac: "rbac" };

/** reload.go names the system:masters authorizer so from 1.37 (it never gives a reason, though). */
export const PRIVILEGED_GROUPS_AUTHORIZER_NAME = "kubernetes.io/system-privileged-group";

export interface AuthorizerChainOptions extends NodeAuthorizerOptions {
  readonly names?: Partial<AuthorizerNames>;
  /** The reason the recording webhook gives with its NoOpinion; "" as harness/webhooks answers `{allowed: false}`. */
  readonly webhookReason?: string;
}

const PRIVILEGED_ALLOW: AuthorizerAnswer = { decision: "allow", reason: "", decidedBy: "privileged-groups" };
const PRIVILEGED_NO_OPINION: AuthorizerAnswer = { decision: "no-opinion", reason: "", decidedBy: "privileged-groups" };

export const privilegedGroupsAuthorizer: Authorizer = {
  authorize: (a: CheckAttributes) => (hasString(a.user.groups, SYSTEM_MASTERS) ? PRIVILEGED_ALLOW : PRIVILEGED_NO_OPINION),
};

export function recordingWebhookAuthorizer(reason = ""): Authorizer {
  const answer: AuthorizerAnswer = { decision: "no-opinion", reason, decidedBy: "webhook" };
  return { authorize: () => answer };
}

export function buildAuthorizerChain(world: World, options: AuthorizerChainOptions = {}): Authorizer {
  const names = { ...DEFAULT_AUTHORIZER_NAMES, ...options.names };
  const webhook = recordingWebhookAuthorizer(options.webhookReason);
  const node = nodeAuthorizer(world, options);
  const rbac = rbacAuthorizer(world);
  const members: NamedAuthorizer[] = [
    { name: PRIVILEGED_GROUPS_AUTHORIZER_NAME, authorizer: privilegedGroupsAuthorizer },
    { name: names.webhook, authorizer: webhook },
    { name: names.node, authorizer: node },
    { name: names.rbac, authorizer: rbac },
  ];
  const prefixReasons = minorOf(options.kubeVersion ?? DEFAULT_KUBE_VERSION) >= 37;
  return new ChainAuthorizer(members, node, rbac, (options.webhookReason ?? "") === "", prefixReasons);
}

/** An answer that adds nothing to a union: no opinion, no reason, no error, nothing undecided. */
function isQuiet(a: AuthorizerAnswer): boolean {
  return (
    a.decision === "no-opinion" && a.reason === "" && a.error === undefined && a.indeterminate === undefined && a.reasonIndeterminate === undefined
  );
}

const NODE_USER_PREFIX = "system:node:";
const UNION_NO_OPINION: AuthorizerAnswer = { decision: "no-opinion", reason: "", decidedBy: "none" };

/**
 * `unionAuthorize` over the four members, with the common cases short-cut (this runs for every check):
 * a system:masters user is allowed by the first member; otherwise the privileged-groups member and a
 * reason-less webhook add nothing, so when Node is quiet too (every non-node user) the union is RBAC's
 * decision as given, or a plain NoOpinion when RBAC is quiet as well. Anything else takes the general
 * union, which asks the (pure) members again.
 */
class ChainAuthorizer implements Authorizer {
  constructor(
    private readonly members: readonly NamedAuthorizer[],
    private readonly node: Authorizer,
    private readonly rbac: Authorizer,
    private readonly quietWebhook: boolean,
    private readonly prefixReasons: boolean,
  ) {}

  authorize(a: CheckAttributes, shape: CheckShape = NO_SHAPE): AuthorizerAnswer {
    if (hasString(a.user.groups, SYSTEM_MASTERS)) return PRIVILEGED_ALLOW;
    // The Node authorizer has no opinion and no reason for a user that is not a node (nodeIdentity).
    if (this.quietWebhook && (!a.user.username.startsWith(NODE_USER_PREFIX) || isQuiet(this.node.authorize(a)))) {
      const r = this.rbac.authorize(a, shape);
      if (r.indeterminate === undefined && r.decision !== "no-opinion") return r;
      if (isQuiet(r)) return UNION_NO_OPINION;
    }
    return unionAuthorize(this.members, a, this.prefixReasons, shape);
  }
}

interface ChainMemo {
  readonly byOptions: WeakMap<AuthorizerChainOptions, Authorizer>;
  readonly byKey: Map<string, Authorizer>;
}

const chains = new WeakMap<World, ChainMemo>();
const NO_OPTIONS: AuthorizerChainOptions = {};

/** `buildAuthorizerChain`, memoised per World object and options (by identity, then by value). */
export function authorizerChainFor(world: World, options: AuthorizerChainOptions = NO_OPTIONS): Authorizer {
  let memo = chains.get(world);
  if (!memo) {
    memo = { byOptions: new WeakMap(), byKey: new Map() };
    chains.set(world, memo);
  }
  const same = memo.byOptions.get(options);
  if (same) return same;
  const key = JSON.stringify([options.kubeVersion, options.featureGates, options.names, options.webhookReason]);
  let chain = memo.byKey.get(key);
  if (!chain) {
    chain = buildAuthorizerChain(world, options);
    memo.byKey.set(key, chain);
  }
  memo.byOptions.set(options, chain);
  return chain;
}
