import { createWriteStream } from "node:fs";
import type { Readable } from "node:stream";

const TAIL_LINES = 30;

export interface LogTail {
  /** The last lines, joined with " | ", for error messages. */
  lines(): string;
  /** Resolves once the log file is closed (the container's log stream ended). */
  readonly closed: Promise<void>;
}

/** Copies a container's log stream to a file, keeping the last lines for error messages. */
export function logToFile(stream: Readable, file: string): LogTail {
  const out = createWriteStream(file, { flags: "a" });
  const tail: string[] = [];
  let partial = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    out.write(chunk);
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      if (!line) continue;
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    }
  });
  const closed = new Promise<void>((resolve) => {
    const end = () => out.end(() => resolve());
    stream.once("end", end);
    stream.once("error", end);
  });
  return { lines: () => [...tail, ...(partial ? [partial] : [])].slice(-5).join(" | "), closed };
}
