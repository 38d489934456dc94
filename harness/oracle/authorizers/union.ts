/**
 * kube-apiserver's union authorizer (kubernetes/apiserver:pkg/authorization/union/union.go):
 * members are asked in order; the first Allow or Deny is returned as that member gave it (its own
 * reason and error, nothing of the members before). If every member has no opinion the answer is
 * NoOpinion with the non-empty reasons joined by "\n" and the errors as one aggregate
 * (`utilerrors.NewAggregate`, see aggregate.ts), or no error when there were none.
 *
 * Version difference: from v0.37 each joined reason is prefixed with the member's configured name,
 * `"<name>: <reason>"` (union.NamedAuthorizer); v0.35/v0.36 join the bare reasons.
 *
 * Indeterminate members (only the Node authorizer produces them, and it never denies) are carried:
 * a later Allow stays an Allow but its decidedBy/reason are then uncertain; a later Deny, or no
 * opinion from everyone, makes the whole answer indeterminate.
 */
import type { CheckAttributes } from "../../core/index.ts";
import type { Authorizer, AuthorizerAnswer } from "../authorizer.ts";
import type { CheckShape } from "../check-shape.ts";
import { aggregateErrorText } from "./aggregate.ts";

export interface NamedAuthorizer {
  readonly name: string;
  readonly authorizer: Authorizer;
}

export function unionAuthorize(
  members: readonly NamedAuthorizer[],
  a: CheckAttributes,
  prefixReasons: boolean,
  shape?: CheckShape,
): AuthorizerAnswer {
  // Collections are allocated only when a member contributes to them: this runs for every check.
  let reasons: string[] | undefined;
  let errors: string[] | undefined;
  let uncertainReasons: string[] | undefined;
  let undecided: string | undefined;
  for (const m of members) {
    const answer = m.authorizer.authorize(a, shape);
    if (answer.indeterminate !== undefined) {
      undecided ??= answer.indeterminate;
    } else if (answer.decision !== "no-opinion") {
      // The deciding member's own answer stands (union.go returns its decision, reason, err).
      if (undecided === undefined) return answer;
      const decided: AuthorizerAnswer = {
        decision: answer.decision,
        reason: answer.reason,
        ...(answer.error !== undefined ? { error: answer.error } : {}),
        decidedBy: answer.decidedBy,
      };
      if (answer.decision === "deny") return { ...decided, indeterminate: undecided };
      return { ...decided, reasonIndeterminate: `an earlier authorizer may have allowed first (${undecided})` };
    }
    if (answer.error !== undefined) (errors ??= []).push(answer.error);
    if (answer.reason !== "") (reasons ??= []).push(prefixReasons ? `${m.name}: ${answer.reason}` : answer.reason);
    if (answer.reasonIndeterminate !== undefined) (uncertainReasons ??= []).push(answer.reasonIndeterminate);
  }
  if (!reasons && !errors && !uncertainReasons && undecided === undefined) return NO_OPINION;
  return {
    decision: "no-opinion",
    reason: reasons ? reasons.join("\n") : "",
    ...(errors ? { error: aggregateErrorText(errors) } : {}),
    decidedBy: "none",
    ...(undecided !== undefined ? { indeterminate: undecided } : {}),
    ...(uncertainReasons ? { reasonIndeterminate: uncertainReasons.join("; ") } : {}),
  };
}

const NO_OPINION: AuthorizerAnswer = { decision: "no-opinion", reason: "", decidedBy: "none" };
