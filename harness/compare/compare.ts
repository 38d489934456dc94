import type { ClusterCapabilities } from "../cluster/provider.ts";
import type { ComparedField, Comparison, FieldDiff, FirstCheckDiff, Prediction, RequestResult } from "../core/index.ts";
import { recorderCanSee } from "../core/index.ts";
import { firstCheckDiff, sameUser } from "./check-diff.ts";

/**
 * A prediction may list other results the server may equally give (Go map order, SPEC §16.18); an
 * alternative overrides some fields (checks, message, user) and keeps the rest of the prediction.
 */
type WithAlternatives = Prediction & { readonly alternatives?: readonly Partial<RequestResult>[] };

/**
 * Observation × Prediction → what differs, field by field (SCENARIO-FORMAT semantics). A field the
 * oracle marks indeterminate, or one the provider cannot show, is skipped and said so, never passed
 * silently. When the oracle admits several results, the observation matches if it equals any of them;
 * otherwise the differences against the primary prediction are reported.
 */
export function compare(predicted: Prediction, observed: RequestResult, capabilities: ClusterCapabilities): Comparison {
  const skipped: { field: ComparedField; reason: string }[] = [];
  for (const ind of predicted.indeterminate) skipped.push({ field: ind.field, reason: ind.reason });
  if (!capabilities.orderedChecks) skipped.push({ field: "checks", reason: "provider has no recording webhook" });
  if (!capabilities.auditEvents) {
    skipped.push({ field: "constraint", reason: "provider has no audit log" });
  }
  const skip = new Set(skipped.map((s) => s.field));
  const alternatives = (predicted as WithAlternatives).alternatives ?? [];
  const candidates: readonly RequestResult[] = [predicted, ...alternatives.map((a) => ({ ...predicted, ...a }))];
  let best: { diffs: FieldDiff[]; first: FirstCheckDiff | undefined } | undefined;
  for (const c of candidates) {
    const r = diffAgainst(c, observed, skip, predicted.code === null, predicted.message === null);
    if (r.diffs.length === 0) return { diffs: [], firstCheckDiff: undefined, skipped, classification: "match" };
    best ??= r;
  }
  const { diffs, first } = best!;
  return { diffs, firstCheckDiff: first, skipped, classification: classify(predicted, observed, diffs, first) };
}

function diffAgainst(
  p: RequestResult,
  o: RequestResult,
  skip: ReadonlySet<ComparedField>,
  codeByHandler: boolean,
  messageByHandler: boolean,
): { diffs: FieldDiff[]; first: FirstCheckDiff | undefined } {
  const diffs: FieldDiff[] = [];
  const add = (field: ComparedField, predicted: unknown, observed: unknown) => diffs.push({ field, predicted, observed });
  if (!skip.has("outcome") && p.outcome !== o.outcome) add("outcome", p.outcome, o.outcome);
  // An allowed request's status and body come from the handler (200, 201, 404…), which the oracle does not model.
  if (!skip.has("code") && !(codeByHandler && p.code === null) && p.code !== o.code) add("code", p.code, o.code);
  if (!skip.has("message") && !(messageByHandler && p.message === null) && p.message !== o.message) add("message", p.message, o.message);
  let first: FirstCheckDiff | undefined;
  if (!skip.has("checks")) {
    first = firstCheckDiff(p.checks, o.checks);
    if (first) add("checks", p.checks.filter(recorderCanSee).map((c) => c.attributes), o.checks.map((c) => c.attributes));
  }
  if (!skip.has("user")) {
    const same = p.user === null || o.user === null ? p.user === o.user : sameUser(p.user, o.user);
    if (!same) add("user", p.user, o.user);
  }
  if (!skip.has("constraint") && p.constraint !== o.constraint) add("constraint", p.constraint, o.constraint);
  return { diffs, first };
}

/** One line to group divergences by: the most telling difference first. */
export function classify(p: Prediction, o: RequestResult, diffs: readonly FieldDiff[], first: FirstCheckDiff | undefined): string {
  const mode = p.mode ?? "none";
  const fields = diffs.map((d) => d.field);
  if (fields.includes("outcome")) return `outcome: predicted ${p.outcome}, observed ${o.outcome} (mode ${mode})`;
  if (first) {
    const side = first.predicted ?? first.observed;
    const verb = side?.verb ?? "?";
    if (first.fields[0] === "missing") return `checks: server skipped predicted ${verb} (mode ${mode})`;
    if (first.fields[0] === "extra") return `checks: server made unpredicted ${verb} (mode ${mode})`;
    return `checks: ${verb} differs in ${first.fields.join(", ")} (mode ${mode})`;
  }
  return `${fields.join(", ")} differ (outcome ${p.outcome}, mode ${mode})`;
}
