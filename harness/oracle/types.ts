/**
 * Shapes shared by the filter model (SPEC §7): the request as the filter sees it, a mode's three-way
 * result (`mode.go`: nil/nil, error, user — never a mix), and the per-request context every check runs in.
 */
import type { Check, Constraint, Indeterminate, ModeName, UserInfo } from "../core/index.ts";
import type { Authorizer, RequestAttributes } from "./authorizer.ts";
import type { CheckShape } from "./check-shape.ts";
import type { Denial, TemplateCell } from "./messages.ts";
import type { OrderChooser } from "./order.ts";
import type { StateAccess } from "./state.ts";

/**
 * The target request: RequestInfo-derived attributes (Go strings) plus `urlPath`, the decoded URL path
 * that `GetPath()` returns for every request and that the outer cache key includes even for resource
 * requests (whose SAR-shaped attributes carry no path).
 */
export interface FilterRequest {
  readonly attributes: RequestAttributes;
  readonly urlPath: string;
  /** Whether no string of `attributes` holds an invalid-byte escape, when the maker has checked. */
  readonly clean?: boolean;
  /** The request's own checks' verbs and shapes (checks.ts `requestShapes`), when the maker has made them. */
  readonly shapes?: RequestShapes;
  /** Where the 403 templates of the request's own checks are kept, when the maker has made room for them. */
  readonly templates?: RequestTemplates;
}

/** The 403 templates (messages.ts TemplateCell) of the final authorization and, per constrained mode, of C1/C1'. */
export interface RequestTemplates {
  readonly final: TemplateCell;
  readonly on: readonly TemplateCell[];
}

/**
 * What the checks made of the request's own attributes need beyond them, made once per distinct request:
 * the final authorization's shape and, per constrained mode (allModes index 0–3), the impersonate-on
 * verb of C1/C1' and its shape (check-shape.ts).
 */
export interface RequestShapes {
  readonly final: CheckShape;
  readonly onVerbs: readonly string[];
  readonly on: readonly CheckShape[];
}

/** A mode's (and so the filter's) success: the resulting user, the audit constraint, the mode. */
export interface Allowed {
  readonly kind: "allowed";
  readonly user: UserInfo;
  readonly constraint: Constraint;
  readonly mode: ModeName;
}

// A denial is its own result (Denial carries kind "denied"): no wrapper object per denied mode.
export type ModeResult = { readonly kind: "not-applicable" } | Denial | Allowed;

export type FilterResult = Allowed | Denial;

/** Everything one run of the filter for one request uses; `checks` and `notes` are its outputs. */
export interface FilterContext {
  readonly authorizer: Authorizer;
  readonly access: StateAccess;
  readonly order: OrderChooser;
  readonly request: FilterRequest;
  /** The checks made, in order: `checks[0, checkCount)` (see `newCheckList`). */
  readonly checks: Check[];
  checkCount: number;
  readonly notes: Indeterminate[];
  /** No Go string of this request holds an invalid-UTF-8 escape: checks need no JSON visibility pass. */
  readonly clean: boolean;
  /** Set when an impersonation check got an `indeterminate` answer: later state may differ from the model. */
  uncertain?: string;
}

/**
 * A check list with room for six checks (most requests make one to five): filled by index, its used
 * part copied out at the end. A `[]` grown by push would allocate room for 16 on its first push, and a
 * list shared by all runs would be an old object that every check written into it must be recorded for
 * (a write barrier per check). This list is made for every request.
 */
export function newCheckList(): Check[] {
  return [undefined, undefined, undefined, undefined, undefined, undefined] as unknown as Check[];
}

/**
 * The used part of a check list (`newCheckList`, `n` checks made) as an array of its own: array literals
 * of exact length for the usual counts. `slice` is a builtin call that cost more than the rest of the
 * copy, about 1.5% of a decision's instructions; the list itself when every slot is used.
 */
export function usedChecks(list: Check[], n: number): Check[] {
  switch (n) {
    case 0: return [];
    case 1: return [list[0]!];
    case 2: return [list[0]!, list[1]!];
    case 3: return [list[0]!, list[1]!, list[2]!];
    case 4: return [list[0]!, list[1]!, list[2]!, list[3]!];
    case 5: return [list[0]!, list[1]!, list[2]!, list[3]!, list[4]!];
    default: return n === list.length ? list : list.slice(0, n);
  }
}
