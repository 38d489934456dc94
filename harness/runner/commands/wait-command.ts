import { formatStep, type ScenarioStep } from "./format-step.ts";
import type { StatefulCommand, StatefulModel, StatefulSystem } from "./stateful-model.ts";

/**
 * Lets real time pass. The model's clock is not moved here: each probe sets it to the time it was
 * measured at, so grants, barriers and waits all count as they really took.
 */
export class WaitCommand implements StatefulCommand {
  constructor(readonly ms: number) {
    if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`a wait is a non-negative whole number of milliseconds, got ${ms}`);
  }

  check(): boolean {
    return true;
  }

  async run(model: StatefulModel, real: StatefulSystem): Promise<void> {
    await real.wait(this.ms);
    model.stats.waits++;
    model.stats.waitedMs += this.ms;
    model.transcript.push({ step: this.step() });
  }

  step(): ScenarioStep {
    return { wait: this.ms % 1000 === 0 ? `${this.ms / 1000}s` : `${this.ms}ms` };
  }

  toString(): string {
    return formatStep(this.step());
  }
}
