import { createReadStream } from "node:fs";
import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import type { JournalRecord } from "../core/index.ts";
import { JournalInvalidError } from "./journal-error.ts";
import { describeIssues, journalRecordSchema } from "./journal-schema.ts";

/**
 * `reports/<run-id>/divergences.jsonl`: the append-only journal of divergences and flakes, one JSON
 * object per line, written while the run is going so that a crash or SIGKILL loses nothing already
 * appended. Each `append` is one `write(2)` of one whole line to a file opened with O_APPEND (no
 * buffering in this process), followed by `fdatasync` unless `datasync: false`: records are rare
 * (divergences, not probes), so the sync costs nothing that matters and the line also survives the
 * machine going down.
 *
 * Records are validated before they are written (the JSON form, exactly what the reader will see),
 * so a journal this module wrote always reads back; a record that does not fit the schema is a
 * harness bug and is rejected loudly rather than written for `impfuzz replay` to trip on later.
 */

export interface Journal {
  readonly path: string;
  /** Records appended by this writer. */
  readonly appended: number;
  /** Appends one record as one line; calls are serialised, so lines keep the order of the calls. */
  append(record: JournalRecord): Promise<void>;
  /** Waits for pending appends, then closes the file. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface OpenJournalOptions {
  /**
   * `fdatasync` after every record, so a record survives a power loss too, not only a crash of this
   * process.
   * @defaultValue true
   */
  readonly datasync?: boolean;
}

export interface ReadJournalOptions {
  /**
   * Skip a last line that has no newline and does not parse (a writer killed mid-record) instead of
   * failing on it. Every other bad line still fails.
   * @defaultValue false
   */
  readonly allowTruncatedTail?: boolean;
}

const NEWLINE = 0x0a;

/**
 * Opens (creating it and its folder if needed) a journal for appending. If the file exists and ends
 * in a partial line, from a writer that was killed mid-record, a newline is added first so the new
 * records stay whole; the reader then reports the partial line by its number.
 */
export async function openJournal(path: string, options: OpenJournalOptions = {}): Promise<Journal> {
  const datasync = options.datasync ?? true;
  let handle: FileHandle;
  try {
    await mkdir(dirname(path), { recursive: true });
    handle = await open(path, "a+");
  } catch (e) {
    throw new JournalInvalidError(path, undefined, `cannot open journal for appending: ${errorText(e)}: check the folder exists and is writable`, e);
  }
  try {
    await endWithNewline(handle);
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw new JournalInvalidError(path, undefined, `cannot prepare journal for appending: ${errorText(e)}`, e);
  }

  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  let broken: unknown;
  let appended = 0;

  const writeLine = async (bytes: Buffer): Promise<void> => {
    if (broken !== undefined) {
      throw new JournalInvalidError(path, undefined, `record not appended: an earlier write failed (${errorText(broken)})`, broken);
    }
    try {
      await writeAll(handle, bytes);
      if (datasync) await handle.datasync();
      appended++;
    } catch (e) {
      broken = e;
      throw new JournalInvalidError(path, undefined, `record not appended: ${errorText(e)}: check free space and permissions`, e);
    }
  };

  const journal: Journal = {
    path,
    get appended() {
      return appended;
    },
    append(record) {
      if (closed) return Promise.reject(new JournalInvalidError(path, undefined, "record not appended: the journal is closed"));
      let bytes: Buffer;
      try {
        bytes = encodeRecord(path, record);
      } catch (e) {
        return Promise.reject(e);
      }
      const done = queue.then(() => writeLine(bytes));
      queue = done.catch(() => undefined);
      return done;
    },
    async close() {
      if (closed) return queue;
      closed = true;
      queue = queue.then(() => handle.close());
      return queue;
    },
    [Symbol.asyncDispose]() {
      return journal.close();
    },
  };
  return journal;
}

/** Reads a journal record by record; throws a JournalInvalidError (`file:line: …`) at the first bad line. */
export async function* readJournal(path: string, options: ReadJournalOptions = {}): AsyncGenerator<JournalRecord, void, undefined> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for await (const { number, bytes, terminated } of linesOf(path)) {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      if (!terminated && options.allowTruncatedTail) return;
      throw new JournalInvalidError(path, number, `not valid UTF-8${truncationHint(terminated)}`);
    }
    if (text.trim() === "") continue;
    const parsed = parseLine(text);
    if (parsed.ok) {
      yield parsed.record;
      continue;
    }
    if (!terminated && options.allowTruncatedTail) return;
    throw new JournalInvalidError(path, number, `${parsed.problem}${truncationHint(terminated)}`);
  }
}

/** Reads and validates a whole journal before returning anything. */
export async function readJournalFile(path: string, options: ReadJournalOptions = {}): Promise<JournalRecord[]> {
  const records: JournalRecord[] = [];
  for await (const record of readJournal(path, options)) records.push(record);
  return records;
}

type LineParse = { readonly ok: true; readonly record: JournalRecord } | { readonly ok: false; readonly problem: string };

function parseLine(text: string): LineParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `not JSON (${errorText(e)})` };
  }
  const result = journalRecordSchema.safeParse(value);
  if (!result.success) return { ok: false, problem: `not a journal record: ${describeIssues(result.error)}` };
  return { ok: true, record: result.data };
}

function truncationHint(terminated: boolean): string {
  return terminated
    ? ""
    : "; this last line has no newline, so the writer probably stopped mid-record: the records before it are intact, delete this line to use them";
}

function encodeRecord(path: string, record: JournalRecord): Buffer {
  let text: string;
  try {
    text = JSON.stringify(record);
  } catch (e) {
    throw new JournalInvalidError(path, undefined, `record not appended: cannot serialise it as JSON (${errorText(e)}); this is a harness bug`, e);
  }
  // Validate what the reader will see (JSON turns NaN into null, drops undefined, stringifies dates).
  const result = journalRecordSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    throw new JournalInvalidError(path, undefined, `record not appended: ${describeIssues(result.error)}; this is a harness bug`);
  }
  return Buffer.from(`${text}\n`, "utf8");
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

async function endWithNewline(handle: FileHandle): Promise<void> {
  const { size } = await handle.stat();
  if (size === 0) return;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] !== NEWLINE) await writeAll(handle, Buffer.from("\n"));
}

interface RawLine {
  readonly number: number;
  readonly bytes: Buffer;
  /** False for a last line with no newline after it. */
  readonly terminated: boolean;
}

/** Splits a file on `\n` bytes (dropping a `\r` before it), streaming, with 1-based line numbers. */
async function* linesOf(path: string): AsyncGenerator<RawLine, void, undefined> {
  const stream = createReadStream(path);
  let pending: Buffer[] = [];
  let number = 0;
  const iterator = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (e) {
        throw new JournalInvalidError(path, undefined, `cannot read journal: ${errorText(e)}`, e);
      }
      if (next.done) break;
      const chunk = next.value as Buffer;
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        pending.push(chunk.subarray(start, nl));
        const bytes = Buffer.concat(pending);
        pending = [];
        number++;
        yield { number, bytes: stripCarriageReturn(bytes), terminated: true };
        start = nl + 1;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
    if (pending.length > 0) {
      number++;
      yield { number, bytes: stripCarriageReturn(Buffer.concat(pending)), terminated: false };
    }
  } finally {
    stream.destroy();
  }
}

function stripCarriageReturn(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
}

function errorText(e: unknown): string {
  if (e instanceof JournalInvalidError) return e.detail;
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT") return "no such file (ENOENT)";
  if (err?.code === "EISDIR") return "is a directory, not a journal file (EISDIR)";
  if (err?.code === "EACCES") return "permission denied (EACCES)";
  return String(err?.message ?? e).replace(/[\r\n]+/g, " ");
}
