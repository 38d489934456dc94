/**
 * Last-resort cleanup for every process and temp dir a run starts. Normal paths call `stop()`; this
 * registry covers the others: an uncaught error, `process.exit`, a test worker torn down, Ctrl-C.
 * The `exit` event only allows synchronous work, so each entry has a synchronous fallback (kill by
 * pid, rmSync) beside its polite asynchronous stop.
 */
export interface CleanupEntry {
  readonly name: string;
  readonly async: () => Promise<void>;
  readonly sync: () => void;
}

const entries = new Set<CleanupEntry>();
let exitHookInstalled = false;

export function registerCleanup(entry: CleanupEntry): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", runSyncCleanups);
  }
  entries.add(entry);
  return () => entries.delete(entry);
}

function runSyncCleanups(): void {
  for (const e of [...entries].reverse()) {
    try {
      e.sync();
    } catch {
      // Best effort at exit: nothing is left to report to.
    }
  }
  entries.clear();
}

/** Runs every registered async cleanup in reverse registration order, collecting errors. */
export async function runAllCleanups(): Promise<Error[]> {
  const errors: Error[] = [];
  for (const e of [...entries].reverse()) {
    try {
      await e.async();
    } catch (err) {
      errors.push(err instanceof Error ? err : new Error(String(err)));
    }
    entries.delete(e);
  }
  return errors;
}

export function pendingCleanups(): readonly string[] {
  return [...entries].map((e) => e.name);
}
