import cliProgress from "cli-progress";
import type { FuzzProgress } from "../runner/fuzz.ts";

/** A live bar on a terminal (cases, probes/s, divergences so far); one line per 10 s otherwise. */
export function fuzzProgressReporter(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): (p: FuzzProgress) => void {
  if (!enabled) return () => {};
  let bar: cliProgress.SingleBar | undefined;
  let last = 0;
  return (p) => {
    const payload = {
      probes: p.probes,
      rate: p.probesPerSecond.toFixed(1),
      divergences: p.divergences,
      flakes: p.flakes,
      phase: p.phase,
    };
    if (stream.isTTY) {
      if (!bar && p.phase !== "done") {
        bar = new cliProgress.SingleBar(
          {
            format: "cases {bar} {value}/{total} | {probes} probes, {rate}/s | divergences {divergences}, flakes {flakes} | {phase}",
            stream,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.totalCases, p.cases, payload);
      }
      if (p.phase === "shrinking") bar?.update({ ...payload, phase: "shrinking a divergence" });
      else bar?.update(p.cases, payload);
      if (p.phase === "done") bar?.stop();
      return;
    }
    const now = Date.now();
    if (p.phase !== "done" && p.phase !== "starting" && now - last < 10_000) return;
    last = now;
    stream.write(`${p.phase}: ${p.cases}/${p.totalCases} cases, ${p.probes} probes (${payload.rate}/s), ${p.divergences} divergences, ${p.flakes} flakes\n`);
  };
}
