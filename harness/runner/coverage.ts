import type { ModeName, Outcome, Prediction } from "../core/index.ts";

/**
 * Coverage cells `mode × outcome × fallback`: which mode decided (none for a denial or no
 * impersonation), what came of the request, and whether more than one mode was tried (the fallback
 * path of SPEC §7 step 8). Derived from the oracle's prediction, which knows which modes ran.
 */
export function coverageCell(p: Prediction): string {
  return `${p.mode ?? "none"}×${p.outcome}×${modesTried(p) > 1 ? "fallback" : "direct"}`;
}

/** Distinct modes among the prediction's impersonation checks. */
export function modesTried(p: Prediction): number {
  const modes = new Set<string>();
  for (const c of p.checks) {
    const v = c.attributes.verb;
    if (v === "impersonate") modes.add("legacy");
    else if (v.startsWith("impersonate-on:") || v.startsWith("impersonate:")) modes.add(v.split(":")[1] ?? "");
  }
  return modes.size;
}

/**
 * Cells a cold requestor can reach, with why each is reachable; the rest are impossible by SPEC §6–§7
 * (e.g. associated-node is always tried first, so it never decides after a fallback; service-account
 * and user-info names apply to no other constrained mode).
 */
export const REACHABLE_CELLS: Readonly<Record<string, string>> = {
  "associated-node×allowed×direct": "SA requestor with its node's node-name extra, both permissions",
  "associated-node×request-denied×direct": "as above, the node may not make the request",
  "arbitrary-node×allowed×direct": "node name, requestor not associated with it",
  "arbitrary-node×request-denied×direct": "as above, the node may not make the request",
  "arbitrary-node×allowed×fallback": "associated-node applied but failed, arbitrary-node granted",
  "arbitrary-node×request-denied×fallback": "as above, the node may not make the request",
  "serviceaccount×allowed×direct": "valid SA name alone",
  "serviceaccount×request-denied×direct": "as above, the SA may not make the request",
  "user-info×allowed×direct": "generic user name",
  "user-info×request-denied×direct": "as above, the user may not make the request",
  "legacy×allowed×direct": "node/SA name with another header: only legacy applies",
  "legacy×request-denied×direct": "as above, the user may not make the request",
  "legacy×allowed×fallback": "a constrained mode failed, legacy impersonate granted",
  "legacy×request-denied×fallback": "as above, the user may not make the request",
  "none×impersonation-denied×direct": "only legacy applies and it is denied",
  "none×impersonation-denied×fallback": "a constrained mode and legacy both denied",
  "none×bad-request×direct": "impersonation headers without Impersonate-User",
};

export class CoverageCounter {
  readonly cells = new Map<string, number>();

  add(p: Prediction): void {
    const cell = coverageCell(p);
    this.cells.set(cell, (this.cells.get(cell) ?? 0) + 1);
  }

  unreached(): string[] {
    return Object.keys(REACHABLE_CELLS).filter((c) => !this.cells.has(c));
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.cells.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

export type { ModeName, Outcome };
