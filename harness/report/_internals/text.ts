/**
 * Plain-text helpers shared by every report format. A fuzzer puts any code point it likes into
 * usernames, header values and messages; reports must show them, not break on them.
 * @internal
 */

/**
 * Characters no report format can carry literally: C0 controls other than tab/newline/CR (XML 1.0
 * forbids them, even as character references), U+FFFE/U+FFFF (not XML characters), and unpaired
 * surrogates (not encodable as UTF-8).
 */
const UNSHOWABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same, plus tab, newline, CR and DEL: for one-line contexts such as a header value. */
const UNSHOWABLE_ON_ONE_LINE = /[\u0000-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r", "\u0000": "\\0" };

function escapeOne(ch: string): string {
  return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * Replaces characters a report cannot carry with a visible JSON-like escape (`\0`, `\u0001`,
 * `\ud800`), so what the fuzzer produced stays readable. With `oneLine`, tab/newline/CR/DEL too.
 */
export function visible(s: string, options: { readonly oneLine?: boolean } = {}): string {
  return s.replace(options.oneLine ? UNSHOWABLE_ON_ONE_LINE : UNSHOWABLE, escapeOne);
}

/** First line, cut to `max` characters with an ellipsis: for XML attributes and headings. */
export function headline(s: string, max = 200): string {
  const lines = s.split(/\r?\n/);
  const first = lines[0] ?? "";
  const chars = [...first];
  if (chars.length > max) return `${chars.slice(0, max - 1).join("")}…`;
  return lines.slice(1).some((l) => l.trim() !== "") ? `${first} …` : first;
}

/** `12.3 s`, `4 m 05 s`, `1 h 02 m`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, "0")} m` : `${m} m ${String(s).padStart(2, "0")} s`;
}

/** Compact JSON for a value in a diff cell; `undefined` (absent) stays distinguishable from `null`. */
export function formatValue(v: unknown): string {
  if (v === undefined) return "(absent)";
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
