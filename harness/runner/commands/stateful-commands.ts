import fc from "fast-check";
import { PIECES, REQUEST_KEYS, WANTED_KEYS, type Piece, type Who } from "./catalogue.ts";
import { GrantCommand } from "./grant-command.ts";
import { ProbeCommand } from "./probe-command.ts";
import { RevokeCommand } from "./revoke-command.ts";
import type { StatefulCommand, StatefulCommands } from "./stateful-model.ts";
import { WaitCommand } from "./wait-command.ts";

/** Short waits, and one that crosses the 10 s TTL of the filter's caches (SPEC §11). */
export const DEFAULT_WAITS_MS: readonly number[] = [0, 2_000, 11_000];

export interface StatefulCommandsConstraints {
  /**
   * Upper bound on the commands of one sequence.
   * @defaultValue 8
   */
  readonly maxCommands?: number;
  /**
   * The durations (ms) a wait picks from; the first is where shrinking goes.
   * @defaultValue DEFAULT_WAITS_MS
   */
  readonly waitsMs?: readonly number[];
}

/**
 * Command sequences over one sequence's two requestors: probes (half of the commands: they are what
 * is compared), grants and revokes of single permission pieces, and waits. Grant and revoke of a piece
 * run only when it is absent or present, so `initialGrants` decides how often they do.
 */
export function statefulCommands(constraints: StatefulCommandsConstraints = {}): fc.Arbitrary<StatefulCommands> {
  const maxCommands = constraints.maxCommands ?? 8;
  if (!Number.isInteger(maxCommands) || maxCommands < 1) throw new RangeError(`maxCommands must be a positive integer, got ${maxCommands}`);
  const waits = constraints.waitsMs ?? DEFAULT_WAITS_MS;
  if (waits.length === 0) throw new RangeError("waitsMs must list at least one duration");
  const probe = fc
    .tuple(fc.constantFrom<Who>(0, 1), fc.constantFrom(...WANTED_KEYS), fc.constantFrom(...REQUEST_KEYS))
    .map(([who, wanted, request]): StatefulCommand => new ProbeCommand(who, wanted, request));
  const piece = fc.constantFrom(...PIECES);
  const command = fc.oneof(
    { arbitrary: probe, weight: 3 },
    { arbitrary: piece.map((p): StatefulCommand => new GrantCommand(p)), weight: 1 },
    { arbitrary: piece.map((p): StatefulCommand => new RevokeCommand(p)), weight: 1 },
    { arbitrary: fc.constantFrom(...waits).map((ms): StatefulCommand => new WaitCommand(ms)), weight: 1 },
  );
  // size "max": lengths spread over 0..maxCommands, as asked, rather than fast-check's small default.
  return fc.commands([command], { maxCommands, size: "max" });
}

/**
 * The pieces granted before the first command (a scenario's `spec.objects`): about half of them, so
 * probes often succeed in some mode and revokes have something to take away. Shrinks towards none.
 */
export function initialGrants(): fc.Arbitrary<Piece[]> {
  return fc.subarray([...PIECES]);
}
