import fc from "fast-check";
import type { CaseProbe, HttpRequest, Manifest } from "../core/index.ts";
import { buildGrants } from "./_internals/builders/grants.ts";
import { requestorSubjects, requestorUserInfo } from "./_internals/builders/requestor-user-info.ts";
import { WorldDraft } from "./_internals/builders/world-draft.ts";
import { readWantedUser, withWantedUser } from "./_internals/helpers/headers.ts";
import { rarely, sometimes } from "./_internals/helpers/weighted.ts";
import { shareIdenticalRoles } from "./_internals/mappers/share-roles.ts";
import { usedPoolNamespaces } from "./_internals/mappers/used-namespaces.ts";
import type { GrantCompleteness, PartialKind } from "./grant-plan.ts";
import { type GrantMode, type IntendedMode, type ProbePlan, probePlan } from "./probe-plan.ts";
import { rbacWorld } from "./rbac-world.ts";

/** What a probe was shaped to do; classifies generated cases without an oracle. */
export interface ProbeIntent {
  readonly mode: IntendedMode;
  readonly variant: string;
  /** Whose permissions the grants were cut for. */
  readonly grantMode: GrantMode;
  readonly grant: GrantCompleteness;
  /** The near miss built for a `partial` grant. */
  readonly partial?: PartialKind;
  /** Legacy `impersonate` was granted on top (a failing constrained mode falls back to it). */
  readonly alsoLegacy: boolean;
  /** The request itself was granted to the identity it should run as. */
  readonly finalGrant: boolean;
}

export interface TemplateProbe extends CaseProbe {
  readonly intent: ProbeIntent;
}

/**
 * A case with local names (`r0`, `ns-a`, `p0-on`, …): the world's manifests and one probe per
 * distinct requestor. `instantiateCase` prefixes the local names for one execution.
 */
export interface CaseTemplate {
  readonly objects: readonly Manifest[];
  readonly probes: readonly TemplateProbe[];
}

export interface FuzzCaseConstraints {
  /** @defaultValue 1 */
  readonly minProbes?: number;
  /** @defaultValue 8 */
  readonly maxProbes?: number;
  /** Intended-mode weights, as `probePlan`'s `modes`. */
  readonly modes?: Partial<Record<IntendedMode, number>>;
  /**
   * One case in `noiseOneIn` also gets a random background world (`rbacWorld`); 0 never.
   * @defaultValue 3
   */
  readonly noiseOneIn?: number;
  /**
   * One case in `shareRolesOneIn` merges identical roles and their bindings (one binding, several
   * subjects); 0 never.
   * @defaultValue 3
   */
  readonly shareRolesOneIn?: number;
}

interface CaseParts {
  readonly probes: readonly ProbePlan[];
  readonly noise: readonly Manifest[] | null;
  readonly shareRoles: boolean;
}

const KIND_ORDER = ["Namespace", "ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding"];

function planToProbe(plan: ProbePlan, index: number, rbac: Manifest[]): TemplateProbe {
  const local = `r${index}`;
  const requestor = requestorUserInfo(plan.requestor, local);
  const headers = plan.impersonateSelf ? withWantedUser(plan.headers, requestor.username) : plan.headers;
  const draft = new WorldDraft(`p${index}`);
  const summary = buildGrants({
    mode: plan.grantMode,
    wanted: readWantedUser(headers),
    attributes: plan.target.attributes,
    plan: plan.grant,
    subjects: requestorSubjects(plan.requestor, requestor, local, plan.grant.style.subject, index),
    self: requestorSubjects(plan.requestor, requestor, local, "self", index),
    draft,
  });
  rbac.push(...draft.objects);
  const t = plan.target;
  const request: HttpRequest =
    t.body === undefined ? { method: t.method, path: t.path, headers } : { method: t.method, path: t.path, headers, body: t.body };
  const intent: ProbeIntent = {
    mode: plan.mode,
    variant: plan.variant,
    grantMode: plan.grantMode,
    // without impersonation nothing is granted for a mode
    grant: plan.grantMode === "none" ? "none" : plan.grant.completeness,
    ...(summary.partial === undefined ? {} : { partial: summary.partial }),
    alsoLegacy: plan.grant.alsoLegacy && plan.grantMode !== "legacy" && plan.grantMode !== "none",
    finalGrant: summary.finalGranted,
  };
  return { requestor, request, intent };
}

/** Probe plans (+ background world) → template: names, grants, namespaces (@internal). */
export function partsToTemplate(p: CaseParts): CaseTemplate {
  const rbac: Manifest[] = [];
  const probes = p.probes.map((plan, i) => planToProbe(plan, i, rbac));
  if (p.noise) rbac.push(...p.noise);
  const world = p.shareRoles ? shareIdenticalRoles(rbac) : rbac;
  const namespaces: Manifest[] = usedPoolNamespaces(world, probes).map((name) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } }));
  const objects = [...namespaces, ...world].map((o, i) => [o, i] as const);
  objects.sort(([a, i], [b, j]) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || i - j);
  return { objects: objects.map(([o]) => o), probes };
}

/**
 * The top-level case arbitrary: 1–8 probes, each with its own requestor (`r<i>`) and its intended
 * mode's grants, sometimes over a random background world. Values are templates with local names:
 * pass one to `instantiateCase` with a fresh prefix for every execution.
 */
export function fuzzCaseArb(constraints: FuzzCaseConstraints = {}): fc.Arbitrary<CaseTemplate> {
  const minProbes = constraints.minProbes ?? 1;
  const maxProbes = constraints.maxProbes ?? 8;
  const noiseOneIn = constraints.noiseOneIn ?? 3;
  const shareOneIn = constraints.shareRolesOneIn ?? 3;
  if (!(Number.isInteger(minProbes) && minProbes >= 1)) throw new RangeError(`fuzzCaseArb: minProbes must be an integer >= 1, got ${minProbes}`);
  if (!(Number.isInteger(maxProbes) && maxProbes >= minProbes && maxProbes <= 64)) {
    throw new RangeError(`fuzzCaseArb: maxProbes must be an integer in [minProbes, 64], got ${maxProbes}`);
  }
  for (const [k, v] of [["noiseOneIn", noiseOneIn], ["shareRolesOneIn", shareOneIn]] as const) {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`fuzzCaseArb: ${k} must be an integer >= 0, got ${v}`);
  }
  return fc
    .record({
      // minLength one below the real minimum (then filtered): fast-check's array shrinker can only drop a
      // trailing element while the remaining tail may become shorter than minLength.
      probes: fc
        .array(probePlan(constraints.modes ? { modes: constraints.modes } : {}), { minLength: minProbes - 1, maxLength: maxProbes })
        .filter((ps) => ps.length >= minProbes),
      noise: sometimes(noiseOneIn, rbacWorld({ maxRequestors: maxProbes }), null),
      shareRoles: shareOneIn === 0 ? fc.constant(false) : rarely(shareOneIn),
    })
    .map(partsToTemplate);
}
