import cliProgress from "cli-progress";
import type { BuildProgress } from "../kube/index.ts";

/**
 * Progress for the long first `go build`: a bar on a terminal, and on CI (no TTY) one line every 15 s
 * so logs show it is alive without thousands of lines.
 */
export function buildProgressReporter(stream: NodeJS.WriteStream = process.stderr): (p: BuildProgress) => void {
  let bar: cliProgress.SingleBar | undefined;
  let current = "";
  let lastLine = 0;
  return (p) => {
    if (stream.isTTY) {
      if (p.binary !== current || !bar) {
        bar?.stop();
        current = p.binary;
        bar = new cliProgress.SingleBar(
          { format: `building ${p.binary} [{bar}] {value}/{total} packages {phase}`, stream, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(p.total, 1), p.compiled, { phase: p.phase });
      }
      bar.setTotal(Math.max(p.total, 1));
      bar.update(p.compiled, { phase: p.phase });
      if (p.phase === "done") {
        bar.stop();
        bar = undefined;
      }
      return;
    }
    const now = Date.now();
    if (p.phase === "compiling" && now - lastLine < 15_000) return;
    lastLine = now;
    stream.write(`building ${p.binary}: ${p.phase} ${p.compiled}/${p.total} packages\n`);
  };
}
