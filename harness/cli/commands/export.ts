import { resolve } from "node:path";
import { exportScenario } from "../../record/index.ts";
import { writeFileAtomic } from "../../report/index.ts";
import { readRecords } from "../record-source.ts";

/** Writes journal records as `impfuzz/v1` scenarios (a multi-document stream), to a file or stdout. */
export async function exportCommand(o: { source: string; index: number | undefined; name: string | undefined; out: string | undefined }): Promise<number> {
  const records = await readRecords(o.source, o.index);
  const docs = records.map((r, i) => {
    const base = o.name ?? `fuzz-${r.runId}-${o.index ?? i}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    return exportScenario(r, records.length > 1 && o.name ? `${base}-${i}` : base);
  });
  const text = docs.join("---\n");
  if (o.out) {
    await writeFileAtomic(resolve(o.out), text);
    process.stderr.write(`wrote ${records.length} scenario(s) to ${o.out}\n`);
  } else process.stdout.write(text);
  return 0;
}
