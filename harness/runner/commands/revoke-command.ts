import { removeFromWorld } from "../../apply/index.ts";
import { LOCAL_NAMES, describePiece, pieceRevokeRefs, type Piece } from "./catalogue.ts";
import { formatStep, type ScenarioStep } from "./format-step.ts";
import type { StatefulCommand, StatefulModel, StatefulSystem } from "./stateful-model.ts";

/**
 * Revokes an earlier grant: deletes the piece's binding and waits until RBAC no longer has it. The
 * filter's caches may keep serving what the binding allowed for up to 10 s (SPEC §11.2–3). A piece
 * not granted is left alone and the step is not recorded (decided in `run`, see GrantCommand).
 */
export class RevokeCommand implements StatefulCommand {
  constructor(readonly piece: Piece) {}

  check(): boolean {
    return true;
  }

  async run(model: StatefulModel, real: StatefulSystem): Promise<void> {
    if (!model.granted.has(this.piece.id)) return;
    const refs = pieceRevokeRefs(this.piece, model.names);
    await real.delete(refs);
    model.world = removeFromWorld(model.world, refs);
    model.granted.delete(this.piece.id);
    model.stats.revokes++;
    model.transcript.push({ step: this.step() });
  }

  step(): ScenarioStep {
    return { name: `revoke ${describePiece(this.piece)}`, delete: pieceRevokeRefs(this.piece, LOCAL_NAMES) };
  }

  toString(): string {
    return formatStep(this.step());
  }
}
