/**
 * `wait` steps take a Go-style duration (`11s`, `500ms`, `1m30s`, `1.5s`): a sequence of decimal
 * numbers each followed by a unit. Scenario files use it to let the filter's 10 s caches expire.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g;

export function isDuration(text: string): boolean {
  return DURATION_RE.test(text);
}

/** Milliseconds of a duration string; throws on anything `isDuration` rejects. */
export function parseDuration(text: string): number {
  if (!isDuration(text)) {
    throw new Error(`"${text}" is not a duration: write a number with a unit, e.g. 11s, 500ms or 1m30s`);
  }
  let ms = 0;
  for (const m of text.matchAll(PART_RE)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}
