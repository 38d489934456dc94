import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JournalRecord } from "../core/index.ts";
import { divergenceRecord, flakeRecord, NASTY, nastyRecord } from "../report/_testing/fixtures.ts";
import { JournalInvalidError } from "./journal-error.ts";
import { openJournal, readJournal, readJournalFile } from "./journal.ts";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "impfuzz-journal-"));
  file = join(dir, "run-1", "divergences.jsonl");
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(records: readonly JournalRecord[]): Promise<void> {
  const journal = await openJournal(file);
  for (const r of records) await journal.append(r);
  await journal.close();
}

function line(record: JournalRecord): string {
  return `${JSON.stringify(record)}\n`;
}

async function readError(options = {}): Promise<JournalInvalidError> {
  const error = await readJournalFile(file, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JournalInvalidError);
  const e = error as JournalInvalidError;
  expect(e.code).toBe("E_JOURNAL");
  expect(e.message).not.toMatch(/[\r\n]/);
  return e;
}

describe("journal round trip", () => {
  it("reads back exactly what was appended, one record per line", async () => {
    const noPath = divergenceRecord({ path: undefined, comparison: { ...divergenceRecord().comparison, firstCheckDiff: undefined } });
    const records = [divergenceRecord(), flakeRecord(), noPath, nastyRecord()];
    await write(records);
    const text = await readFile(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n")).toHaveLength(records.length + 1);
    const back = await readJournalFile(file);
    expect(back).toEqual(records);
    expect(back[2]?.path).toBeUndefined();
    expect(back[2]?.comparison.firstCheckDiff).toBeUndefined();
    expect(back[3]?.probe.requestor.username).toBe(NASTY);
  });

  it("streams records in order with readJournal", async () => {
    await write([divergenceRecord(), flakeRecord()]);
    const kinds: string[] = [];
    for await (const r of readJournal(file)) kinds.push(r.kind);
    expect(kinds).toEqual(["divergence", "flake"]);
  });

  it("keeps the order of concurrent appends and counts them", async () => {
    const journal = await openJournal(file, { datasync: false });
    const records = Array.from({ length: 25 }, (_, i) => divergenceRecord({ seed: i }));
    await Promise.all(records.map((r) => journal.append(r)));
    expect(journal.appended).toBe(25);
    await journal.close();
    expect((await readJournalFile(file)).map((r) => r.seed)).toEqual(records.map((_, i) => i));
  });

  it("round-trips a record larger than a read chunk", async () => {
    const base = divergenceRecord();
    const objects = Array.from({ length: 3000 }, (_, i) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}`, namespace: "default" }, data: { k: "😀".repeat(20) } }));
    const big = { ...base, case: { ...base.case, objects } };
    await write([big, flakeRecord()]);
    const back = await readJournalFile(file);
    expect(back[0]?.case.objects).toHaveLength(3000);
    expect(back[1]?.kind).toBe("flake");
  });

  it("accepts CRLF line ends, blank lines and null for absent values", async () => {
    const r = divergenceRecord();
    const withNulls = { ...r, path: null, comparison: { ...r.comparison, firstCheckDiff: null } };
    await writeFile(file.replace("run-1/", ""), `${JSON.stringify(r)}\r\n\n${JSON.stringify(withNulls)}\r\n`);
    const back = await readJournalFile(file.replace("run-1/", ""));
    expect(back).toHaveLength(2);
    expect(back[1]?.path).toBeUndefined();
    expect(back[1]?.comparison.firstCheckDiff).toBeUndefined();
  });

  it("reads an empty journal (a clean run) as no records", async () => {
    await write([]);
    expect(await readFile(file, "utf8")).toBe("");
    expect(await readJournalFile(file)).toEqual([]);
  });

  it("supports await using", async () => {
    {
      await using journal = await openJournal(file);
      await journal.append(divergenceRecord());
    }
    expect(await readJournalFile(file)).toHaveLength(1);
  });
});

describe("journal writer refuses what the reader would reject", () => {
  it("rejects an invalid record without writing anything", async () => {
    const journal = await openJournal(file);
    await expect(journal.append(divergenceRecord({ probeIndex: 3 }))).rejects.toThrow(
      /divergences\.jsonl: record not appended: probeIndex: 3 is past the end of case\.probes \(1 probes\); this is a harness bug$/,
    );
    await expect(journal.append(divergenceRecord({ seed: Number.NaN }))).rejects.toThrow(/record not appended: seed: Invalid input: expected number, received null/);
    await journal.append(divergenceRecord());
    await journal.close();
    expect(await readJournalFile(file)).toHaveLength(1);
  });

  it("rejects appends after close, and close is idempotent", async () => {
    const journal = await openJournal(file);
    await journal.close();
    await journal.close();
    await expect(journal.append(divergenceRecord())).rejects.toThrow(/record not appended: the journal is closed/);
  });

  it("names a folder it cannot create", async () => {
    await writeFile(join(dir, "blocker"), "");
    await expect(openJournal(join(dir, "blocker", "divergences.jsonl"))).rejects.toThrow(/cannot open journal for appending: .*check the folder exists/);
  });
});

describe("journal reader errors: file:line: what is wrong", () => {
  it("reports a line that is not JSON", async () => {
    await write([divergenceRecord()]);
    await appendFile(file, "{not json}\n");
    const e = await readError();
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/^.*divergences\.jsonl:2: not JSON \(.+\)$/);
  });

  it("reports the field of a record that does not fit the schema", async () => {
    const r = divergenceRecord();
    const bad = { ...r, comparison: { ...r.comparison, diffs: [{ field: "colour", predicted: 1, observed: 2 }] } };
    await writeFile(file.replace("run-1/", ""), line(r) + line(r) + JSON.stringify(bad) + "\n");
    file = file.replace("run-1/", "");
    const e = await readError();
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/divergences\.jsonl:3: not a journal record: comparison\.diffs\[0\]\.field: Invalid option: expected one of "code"\|/);
  });

  it("reports unknown fields, missing fields and the count of further problems", async () => {
    const { probe: _probe, ...noProbe } = divergenceRecord();
    file = file.replace("run-1/", "");
    await writeFile(file, `${JSON.stringify({ ...divergenceRecord(), replayy: {} })}\n${JSON.stringify(noProbe)}\n`);
    expect((await readError()).message).toMatch(/:1: not a journal record: \(record\): Unrecognized key: "replayy"$/);
    await writeFile(file, `${JSON.stringify(noProbe)}\n`);
    expect((await readError()).message).toMatch(/:1: not a journal record: probe: Invalid input: expected object, received undefined$/);
    await writeFile(file, `[]\n`);
    expect((await readError()).message).toMatch(/:1: not a journal record: \(record\): Invalid input: expected object, received array$/);
    await writeFile(file, `${JSON.stringify({ ...divergenceRecord(), seed: "x", gate: "yes" })}\n`);
    expect((await readError()).message).toMatch(/\(and 1 more problem\)$/);
  });

  it("reports invalid UTF-8", async () => {
    file = file.replace("run-1/", "");
    await writeFile(file, Buffer.concat([Buffer.from(line(divergenceRecord())), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]));
    expect((await readError()).message).toMatch(/divergences\.jsonl:2: not valid UTF-8$/);
  });

  it("names a missing file", async () => {
    const e = await readError();
    expect(e.line).toBeUndefined();
    expect(e.message).toMatch(/divergences\.jsonl: cannot read journal: no such file \(ENOENT\)$/);
  });
});

describe("journal after a crash mid-append", () => {
  async function crashAfterTwo(): Promise<void> {
    await write([divergenceRecord({ seed: 1 }), divergenceRecord({ seed: 2 })]);
    // A writer killed mid-record leaves part of a line and no newline.
    const partial = line(divergenceRecord({ seed: 3 }));
    await appendFile(file, partial.slice(0, Math.floor(partial.length / 2)));
  }

  it("reports the partial last line by number and says the records before it are intact", async () => {
    await crashAfterTwo();
    const e = await readError();
    expect(e.line).toBe(3);
    expect(e.message).toMatch(
      /divergences\.jsonl:3: not JSON \(.+\); this last line has no newline, so the writer probably stopped mid-record: the records before it are intact, delete this line to use them$/,
    );
  });

  it("streams the intact records before failing on the partial line", async () => {
    await crashAfterTwo();
    const seeds: number[] = [];
    await expect(
      (async () => {
        for await (const r of readJournal(file)) seeds.push(r.seed);
      })(),
    ).rejects.toThrow(/:3: /);
    expect(seeds).toEqual([1, 2]);
  });

  it("skips only a truncated tail when asked to", async () => {
    await crashAfterTwo();
    expect((await readJournalFile(file, { allowTruncatedTail: true })).map((r) => r.seed)).toEqual([1, 2]);
    // A bad line that is not the tail still fails.
    await appendFile(file, `\n${line(divergenceRecord({ seed: 4 }))}`);
    expect((await readError({ allowTruncatedTail: true })).line).toBe(3);
  });

  it("keeps new records whole when a journal with a partial line is reopened", async () => {
    await crashAfterTwo();
    await write([divergenceRecord({ seed: 4 })]);
    const lines = (await readFile(file, "utf8")).split("\n");
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[3]!).seed).toBe(4);
    const e = await readError();
    expect(e.line).toBe(3);
    expect(e.message).not.toContain("no newline");
  });
});
