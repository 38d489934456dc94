import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ImpfuzzError, type JournalRecord, type RunSummary } from "../core/index.ts";
import { renderHtml } from "./render-html.ts";
import { renderJunit } from "./render-junit.ts";
import { renderMarkdown } from "./render-markdown.ts";

/** Where `writeReports` put each file. */
export interface ReportFiles {
  readonly summary: string;
  readonly markdown: string;
  readonly html: string;
  readonly junit: string;
}

export class ReportWriteError extends ImpfuzzError {
  constructor(
    readonly file: string,
    detail: string,
    cause?: unknown,
  ) {
    super("E_REPORT_WRITE", `${file}: cannot write report: ${detail}`, { cause });
  }
}

/** `summary.json`: the RunSummary as pretty JSON (unpaired surrogates come out as `\udXXX` escapes). */
export function renderSummaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/**
 * Writes `summary.json`, `report.md`, `report.html` and `junit.xml` into `runDir` (created if
 * missing). Everything is rendered before anything is written, so a renderer bug writes nothing.
 * Each file is written to a hidden temp file beside it, flushed, then renamed over the final name,
 * so a reader (or a crash) sees the old file or the new one, never half of one. `summary.json` is
 * renamed last: when it is new, the whole set is.
 */
export async function writeReports(runDir: string, summary: RunSummary, records: readonly JournalRecord[]): Promise<ReportFiles> {
  const files: ReportFiles = {
    summary: join(runDir, "summary.json"),
    markdown: join(runDir, "report.md"),
    html: join(runDir, "report.html"),
    junit: join(runDir, "junit.xml"),
  };
  const contents: [string, string][] = [
    [files.markdown, renderMarkdown(summary, records)],
    [files.html, renderHtml(summary, records)],
    [files.junit, renderJunit(summary, records)],
    [files.summary, renderSummaryJson(summary)],
  ];
  try {
    await mkdir(runDir, { recursive: true });
  } catch (e) {
    throw new ReportWriteError(runDir, `cannot create the run folder (${errorText(e)}): check permissions`, e);
  }
  for (const [path, text] of contents) await writeFileAtomic(path, text);
  return files;
}

/**
 * Writes `text` to `path` atomically: a temp file in the same folder (so the rename never crosses
 * file systems), fdatasync, rename. The temp file is removed if any step fails.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(tmp, "wx", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new ReportWriteError(path, `${errorText(e)}: check free space and permissions on ${dirname(path)}`, e);
  }
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code !== undefined ? `${err.code}` : String(err?.message ?? e).replace(/[\r\n]+/g, " ");
}
