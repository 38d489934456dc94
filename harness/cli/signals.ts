import { runAllCleanups } from "../core/cleanup.ts";

/** How long a command may take to unwind after the first signal before cleanup is forced. */
const GRACE_MS = 20_000;

/**
 * One AbortController for the whole CLI run. The first SIGINT/SIGTERM aborts it: long operations
 * watch the signal and unwind through their own `finally` (a fuzz run stops after the batch in
 * flight, stops its cluster and still writes its reports, marked aborted). If the command has not
 * finished within the grace period, or a second signal arrives, every registered cleanup runs at once
 * and the process exits 130 (SIGINT) or 143 (SIGTERM).
 */
export function installSignalHandlers(): { controller: AbortController; exitCodeIfInterrupted: () => number | undefined } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const codeOf = (sig: NodeJS.Signals) => (sig === "SIGINT" ? 130 : 143);
  const force = (sig: NodeJS.Signals) => {
    void runAllCleanups().then((errors) => {
      for (const e of errors) process.stderr.write(`impfuzz: cleanup: ${e.message}\n`);
      process.exit(codeOf(sig));
    });
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (received) {
      process.stderr.write(`impfuzz: ${sig} again, stopping now\n`);
      force(sig);
      return;
    }
    received = sig;
    process.stderr.write(`\nimpfuzz: ${sig} received, stopping everything this run started…\n`);
    controller.abort(new Error(`interrupted by ${sig}`));
    setTimeout(() => force(sig), GRACE_MS).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return { controller, exitCodeIfInterrupted: () => (received ? codeOf(received) : undefined) };
}
