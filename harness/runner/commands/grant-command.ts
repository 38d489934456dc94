import { extendWorld } from "../../apply/index.ts";
import { LOCAL_NAMES, describePiece, pieceManifests, type Piece } from "./catalogue.ts";
import { formatStep, type ScenarioStep } from "./format-step.ts";
import { rememberApplied, type StatefulCommand, type StatefulModel, type StatefulSystem } from "./stateful-model.ts";

/**
 * Grants one permission piece (a role and its binding) and waits until RBAC has it; the model's World
 * gets the same objects. A piece already granted is left alone and the step is not recorded.
 *
 * That is decided in `run`, not in `check`: fast-check replays a shrunk command list with the
 * `hasRan` flags of the run it was shrunk from, and the initial grants (the other half of the
 * property's input) shrink independently, so a precondition that depends on them would drop commands
 * from shrinking candidates that are needed. With `check` always true, every command that was reached
 * keeps its place and a no-op grant is simply shrunk away.
 */
export class GrantCommand implements StatefulCommand {
  constructor(readonly piece: Piece) {}

  check(): boolean {
    return true;
  }

  async run(model: StatefulModel, real: StatefulSystem): Promise<void> {
    if (model.granted.has(this.piece.id)) return;
    const manifests = pieceManifests(this.piece, model.names);
    await real.apply(manifests);
    model.world = extendWorld(model.world, manifests);
    model.granted.add(this.piece.id);
    rememberApplied(model, manifests);
    model.stats.grants++;
    model.transcript.push({ step: this.step() });
  }

  step(): ScenarioStep {
    return { name: `grant ${describePiece(this.piece)}`, apply: pieceManifests(this.piece, LOCAL_NAMES) };
  }

  toString(): string {
    return formatStep(this.step());
  }
}
