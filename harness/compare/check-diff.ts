import type { Check, CheckAttributes, FirstCheckDiff, SelectorRequirement, UserInfo } from "../core/index.ts";
import { recorderCanSee, sameExtra, sameStrings } from "../core/index.ts";

const SCALAR_FIELDS = ["verb", "resourceRequest", "namespace", "group", "version", "resource", "subresource", "name", "path"] as const;

export { sameUser } from "../core/index.ts";

/** Names of differing user fields; groups compare in order, extras as key → ordered values. */
export function userDiffs(a: UserInfo, b: UserInfo): string[] {
  const out: string[] = [];
  if (a.username !== b.username) out.push("username");
  if (a.uid !== b.uid) out.push("uid");
  if (!sameStrings(a.groups, b.groups)) out.push("groups");
  if (!sameExtra(a.extra, b.extra)) out.push("extra");
  return out;
}

function sameSelector(a: readonly SelectorRequirement[] | undefined, b: readonly SelectorRequirement[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((r, i) => r.key === y[i]?.key && r.operator === y[i]?.operator && sameStrings(r.values, y[i]?.values ?? []));
}

/** Attribute names that differ between a predicted and an observed check (`user.groups`, `verb`, …). */
export function checkAttributeDiffs(p: CheckAttributes, o: CheckAttributes): string[] {
  const out = userDiffs(p.user, o.user).map((f) => `user.${f}`);
  for (const f of SCALAR_FIELDS) if (p[f] !== o[f]) out.push(f);
  if (!sameSelector(p.fieldSelector, o.fieldSelector)) out.push("fieldSelector");
  if (!sameSelector(p.labelSelector, o.labelSelector)) out.push("labelSelector");
  return out;
}

/**
 * Compares the checks a recorder can see: the oracle also predicts checks the system:masters
 * authorizer answers, which never reach the webhook, so those are dropped from the prediction first.
 */
export function firstCheckDiff(predicted: readonly Check[], observed: readonly Check[]): FirstCheckDiff | undefined {
  const p = predicted.filter(recorderCanSee);
  for (let i = 0; i < Math.max(p.length, observed.length); i++) {
    const pa = p[i]?.attributes ?? null;
    const oa = observed[i]?.attributes ?? null;
    if (!pa || !oa) return { index: i, predicted: pa, observed: oa, fields: [pa ? "missing" : "extra"] };
    const fields = checkAttributeDiffs(pa, oa);
    if (fields.length) return { index: i, predicted: pa, observed: oa, fields };
  }
  return undefined;
}
