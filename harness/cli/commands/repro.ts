import { UsageError } from "../../core/index.ts";
import { reproScript } from "../../repro/index.ts";
import { loadScenarios } from "../../scenario/index.ts";

/** Prints a bash script (kubectl + curl) that replays one scenario on any cluster. */
export async function reproCommand(o: { file: string; name: string | undefined }): Promise<number> {
  const loaded = await loadScenarios([o.file]);
  const pick = o.name ? loaded.filter((l) => l.scenario.metadata.name === o.name) : loaded;
  if (pick.length === 0) throw new UsageError(`${o.file} has no scenario named "${o.name}" (scenarios: ${loaded.map((l) => l.scenario.metadata.name).join(", ")})`);
  if (pick.length > 1) throw new UsageError(`${o.file} holds ${pick.length} scenarios: pick one with --name (${pick.map((l) => l.scenario.metadata.name).join(", ")})`);
  process.stdout.write(reproScript(pick[0]!).script);
  return 0;
}
