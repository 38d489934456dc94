import { stat } from "node:fs/promises";
import { join } from "node:path";
import { type JournalRecord, UsageError } from "../core/index.ts";
import { readJournalFile } from "../record/index.ts";

/**
 * `<run-dir|journal.jsonl>` plus an optional `--index`: the records a replay or export works on.
 * A run dir means its divergences.jsonl; everything is read and validated before anything runs.
 */
export async function readRecords(source: string, index: number | undefined): Promise<JournalRecord[]> {
  let path = source;
  try {
    if ((await stat(source)).isDirectory()) path = join(source, "divergences.jsonl");
  } catch {
    throw new UsageError(`${source}: no such run directory or journal file (give reports/<run-id> or a divergences.jsonl)`);
  }
  const records = await readJournalFile(path).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`${path}: no journal there (a run without divergences writes none)`);
    throw e;
  });
  if (records.length === 0) throw new UsageError(`${path} holds no records`);
  if (index === undefined) return records;
  const r = records[index];
  if (!r) throw new UsageError(`--index ${index}: ${path} has records 0..${records.length - 1}`);
  return [r];
}
