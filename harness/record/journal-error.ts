import { ImpfuzzError } from "../core/index.ts";

/**
 * A journal that cannot be read back, or a record that cannot be written to one. The message is one
 * line: `file:line: what is wrong` (no line when the whole file or the record being appended is at
 * fault), so `impfuzz replay` can reject a bad file before doing anything.
 */
export class JournalInvalidError extends ImpfuzzError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
    cause?: unknown,
  ) {
    super("E_JOURNAL", `${file}${line === undefined ? "" : `:${line}`}: ${detail.replace(/[\r\n]+/g, " ")}`, { cause });
  }
}
