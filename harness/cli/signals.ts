import { runAllCleanups } from "../core/cleanup.ts";

/**
 * One AbortController for the whole CLI run. The first SIGINT/SIGTERM aborts it (long operations watch
 * the signal and unwind through their own `finally`), then every registered cleanup runs and the
 * process exits 130 (SIGINT) or 143 (SIGTERM). A second signal skips the polite path.
 */
export function installSignalHandlers(): AbortController {
  const controller = new AbortController();
  let received = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    received++;
    const code = sig === "SIGINT" ? 130 : 143;
    if (received > 1) process.exit(code);
    process.stderr.write(`\nimpfuzz: ${sig} received, stopping everything this run started…\n`);
    controller.abort(new Error(`interrupted by ${sig}`));
    void runAllCleanups().then((errors) => {
      for (const e of errors) process.stderr.write(`impfuzz: cleanup: ${e.message}\n`);
      process.exit(code);
    });
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return controller;
}
