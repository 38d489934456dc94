import type { CaseProbe } from "../core/index.ts";

/**
 * Every username a probe's recorded checks can carry: its requestor, and the user it asks to become
 * (the first Impersonate-User value; the filter never changes a wanted username). Over-matching header
 * spellings only serialises a little more than needed, never less.
 */
export function probeKeys(probe: CaseProbe): string[] {
  const keys = [probe.requestor.username];
  const wanted = probe.request.headers.find(([k]) => k.toLowerCase() === "impersonate-user");
  if (wanted) keys.push(wanted[1]);
  return keys;
}
