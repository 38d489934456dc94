/**
 * `spec.versions`: which Kubernetes versions a scenario applies to, as a small semver range language
 * (no dependency: the npm `semver` package is not installed and the grammar we need is tiny).
 *
 *   range       := alternative ( "||" alternative )*
 *   alternative := comparator ( " " comparator )*          (all must hold)
 *   comparator  := [ ">=" | "<=" | ">" | "<" | "=" ] partial
 *   partial     := "*" | N [ "." (N | "x" | "*") [ "." (N | "x" | "*") ] ]
 *
 * Partial versions follow npm: `>=1.35` is `>=1.35.0`, `<1.37` is `<1.37.0`, `>1.35` is `>=1.36.0`,
 * `<=1.36` is `<1.37.0`, and a bare `1.36`, `1.36.x` or `=1.36` is `>=1.36.0 <1.37.0`.
 * Pre-releases (`1.37.0-beta.0`) sort below their release but above the previous patch, and a partial
 * bound includes them (`1.37.x` and `>=1.37` contain `1.37.0-beta.0`; `<1.37` does not), because a
 * Kubernetes beta is that minor as far as the impersonation filter is concerned.
 */

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** "" on a lower bound made from a partial version sorts below every real pre-release. */
  readonly prerelease: readonly string[] | null;
}

interface Comparator {
  readonly op: ">=" | "<" | ">" | "<=" | "=";
  readonly version: Version;
}

/** A parsed range: alternatives of AND-ed comparators. */
export interface VersionRange {
  readonly source: string;
  readonly alternatives: readonly (readonly Comparator[])[];
}

export class VersionRangeError extends Error {}

const VERSION_RE = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const PARTIAL_RE = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/;
const FLOOR: readonly string[] = [""];

export function parseVersion(raw: string): Version {
  const m = VERSION_RE.exec(raw.trim());
  if (!m) throw new VersionRangeError(`"${raw}" is not a version: write MAJOR.MINOR.PATCH, e.g. 1.36.3`);
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] === undefined ? null : m[4].split("."),
  };
}

function comparePrerelease(a: readonly string[] | null, b: readonly string[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) - Number(y);
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePrerelease(a.prerelease, b.prerelease);
}

function floor(major: number, minor: number, patch: number): Version {
  return { major, minor, patch, prerelease: FLOOR };
}

/** Desugars one comparator token into one or two plain comparators. */
function parseComparator(token: string, source: string): Comparator[] {
  const m = /^(>=|<=|>|<|=)?(.*)$/.exec(token);
  const op = (m?.[1] ?? "") as Comparator["op"] | "";
  const rest = m?.[2] ?? "";
  const exact = VERSION_RE.exec(rest);
  if (exact) return [{ op: op === "" ? "=" : op, version: parseVersion(rest) }];
  const p = PARTIAL_RE.exec(rest);
  if (!p) {
    throw new VersionRangeError(
      `"${source}": "${token}" is not a comparator; use forms like ">=1.35", "<1.37", "1.36.x", "1.35.4" joined by spaces (and) or "||" (or)`,
    );
  }
  const parts = [p[1], p[2], p[3]].map((x) => (x === undefined || /^[xX*]$/.test(x) ? undefined : Number(x)));
  const [major, minor, patch] = parts;
  // A wildcard may not be followed by a number (1.x.3).
  if ((major === undefined && (minor !== undefined || patch !== undefined)) || (minor === undefined && patch !== undefined)) {
    throw new VersionRangeError(`"${source}": "${token}" has a number after a wildcard`);
  }
  if (major === undefined) {
    if (op === "<" || op === ">") return [{ op: "<", version: floor(0, 0, 0) }]; // matches nothing, as npm
    return [];
  }
  // [lo, hi) of the partial version.
  const lo = floor(major, minor ?? 0, patch ?? 0);
  const hi = patch !== undefined ? floor(major, minor ?? 0, patch + 1) : minor !== undefined ? floor(major, minor + 1, 0) : floor(major + 1, 0, 0);
  switch (op) {
    case "":
    case "=":
      return [
        { op: ">=", version: lo },
        { op: "<", version: hi },
      ];
    case ">=":
      return [{ op: ">=", version: lo }];
    case ">":
      return [{ op: ">=", version: hi }];
    case "<":
      return [{ op: "<", version: lo }];
    case "<=":
      return [{ op: "<", version: hi }];
  }
}

export function parseVersionRange(source: string): VersionRange {
  const trimmed = source.trim();
  if (trimmed === "") throw new VersionRangeError(`empty version range: write e.g. ">=1.35" or remove the field`);
  const alternatives = trimmed.split("||").map((alt) => {
    const tokens = alt.trim().split(/\s+/).filter((t) => t !== "");
    if (tokens.length === 0) throw new VersionRangeError(`"${source}": empty alternative around "||"`);
    // Allow "> = 1.35"-free spacing like ">= 1.35": join an operator with the following token.
    const joined: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (/^(>=|<=|>|<|=)$/.test(t) && i + 1 < tokens.length) {
        joined.push(t + tokens[++i]!);
      } else {
        joined.push(t);
      }
    }
    return joined.flatMap((t) => parseComparator(t, source));
  });
  return { source, alternatives };
}

function holds(c: Comparator, v: Version): boolean {
  const d = compareVersions(v, c.version);
  switch (c.op) {
    case ">=":
      return d >= 0;
    case ">":
      return d > 0;
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case "=":
      return d === 0;
  }
}

/** Whether `version` (e.g. "1.36.3" or "v1.37.0-beta.0") lies in `range`. */
export function versionSatisfies(version: string | Version, range: string | VersionRange): boolean {
  const v = typeof version === "string" ? parseVersion(version) : version;
  const r = typeof range === "string" ? parseVersionRange(range) : range;
  return r.alternatives.some((alt) => alt.every((c) => holds(c, v)));
}
