import fc from "fast-check";
import {
  decodeExtraKey,
  type HeaderList,
  IMPERSONATE_EXTRA_PREFIX,
  IMPERSONATE_GROUP,
  IMPERSONATE_UID,
  IMPERSONATE_USER,
  type Spelling,
  spell,
} from "./_internals/helpers/headers.ts";
import { spellingArb } from "./_internals/helpers/spelling-arb.ts";
import { rarely, sometimes } from "./_internals/helpers/weighted.ts";
import { ODD_EXTRA_VALUES, PLAIN_EXTRA_VALUES, PLAIN_GROUPS, SPECIAL_GROUPS, TARGET_LOCAL_GROUPS, WANTED_UIDS } from "./_internals/vocabulary.ts";
import { extraKey } from "./extra-key.ts";
import { wantedUser } from "./wanted-user.ts";

export type { HeaderList } from "./_internals/helpers/headers.ts";

export interface ImpersonationHeadersConstraints {
  /**
   * `Impersonate-User` values; `null` sends no such header (with other headers: 400, SPEC §5).
   * @defaultValue `wantedUser()`, and 1 in 12 times no header
   */
  readonly user?: fc.Arbitrary<string | null>;
  /**
   * One request in `uidOneIn` carries `Impersonate-Uid`; 0 never.
   * @defaultValue 4
   */
  readonly uidOneIn?: number;
  /**
   * At most this many `Impersonate-Group` headers (4 or more trigger the wildcard check, SPEC §7 3.3).
   * @defaultValue 6
   */
  readonly maxGroups?: number;
  /** @defaultValue plain, case-local (`tg-*`) and special groups (`""`, `system:masters`, …) */
  readonly group?: fc.Arbitrary<string>;
  /**
   * At most this many distinct extra keys (4 or more, or 4 values in all, trigger the wildcard check).
   * @defaultValue 5
   */
  readonly maxExtraKeys?: number;
  /** @defaultValue 3 */
  readonly maxValuesPerKey?: number;
  /** @defaultValue `extraKey()` */
  readonly extraKey?: fc.Arbitrary<string>;
  /** @defaultValue printable-ASCII values, rarely `""` or a padded one */
  readonly extraValue?: fc.Arbitrary<string>;
  /**
   * Odd but legal wire forms: lower/upper-case header names, a second `Impersonate-User` or
   * `Impersonate-Uid` (the first wins), one extra key sent under two escapings (values merge in Go
   * map order).
   * @defaultValue true
   */
  readonly oddities?: boolean;
}

/** Default `Impersonate-Group` values: plain groups first (the shrink target), then local, then special ones. */
export function defaultGroupArb(): fc.Arbitrary<string> {
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constantFrom(...PLAIN_GROUPS), weight: 5 },
    { arbitrary: fc.constantFrom(...TARGET_LOCAL_GROUPS), weight: 3 },
    { arbitrary: fc.constantFrom(...SPECIAL_GROUPS), weight: 2 },
  );
}

export function defaultExtraValueArb(): fc.Arbitrary<string> {
  return fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constantFrom(...PLAIN_EXTRA_VALUES), weight: 12 }, { arbitrary: fc.constantFrom(...ODD_EXTRA_VALUES), weight: 1 });
}

interface HeaderParts {
  readonly user: string | null;
  readonly secondUser: string | null;
  readonly uid: string;
  readonly secondUid: string | null;
  readonly groups: readonly string[];
  readonly extras: readonly (readonly [suffix: string, values: readonly string[]])[];
  /** Send the first extra key once more under another escaping. */
  readonly respell: boolean;
  readonly spelling: { readonly user: Spelling; readonly uid: Spelling; readonly group: Spelling; readonly extra: Spelling };
}

/** The same decoded key under a different header name: escape the first `.` (or letter) as `%XX`; undefined if impossible. */
export function respellExtraSuffix(suffix: string): string | undefined {
  const dot = suffix.indexOf(".");
  const i = dot >= 0 ? dot : suffix.search(/[a-z]/i);
  if (i < 0) return undefined;
  const hex = suffix.charCodeAt(i).toString(16).toUpperCase();
  const respelled = `${suffix.slice(0, i)}%${hex}${suffix.slice(i + 1)}`;
  // only when the server decodes both to one key (not for malformed escapes or escaped capitals)
  return decodeExtraKey(respelled) === decodeExtraKey(suffix) ? respelled : undefined;
}

/** Builds the ordered header list from its parts (@internal, exported for the probe builders). */
export function partsToHeaders(p: HeaderParts): HeaderList {
  const out: [string, string][] = [];
  if (p.user !== null) out.push([spell(IMPERSONATE_USER, p.spelling.user), p.user]);
  if (p.user !== null && p.secondUser !== null) out.push([spell(IMPERSONATE_USER, p.spelling.user), p.secondUser]);
  if (p.uid !== "") out.push([spell(IMPERSONATE_UID, p.spelling.uid), p.uid]);
  if (p.uid !== "" && p.secondUid !== null) out.push([spell(IMPERSONATE_UID, p.spelling.uid), p.secondUid]);
  for (const g of p.groups) out.push([spell(IMPERSONATE_GROUP, p.spelling.group), g]);
  const prefix = spell(IMPERSONATE_EXTRA_PREFIX, p.spelling.extra);
  for (const [suffix, values] of p.extras) for (const v of values) out.push([prefix + suffix, v]);
  const first = p.extras[0];
  const respelled = first && p.respell ? respellExtraSuffix(first[0]) : undefined;
  if (respelled !== undefined) out.push([prefix + respelled, first![1][0]!]);
  return out;
}

export const PLAIN_SPELLING = { user: "canonical", uid: "canonical", group: "canonical", extra: "canonical" } as const;

function countBiasedArray<T>(item: fc.Arbitrary<T>, max: number): fc.Arbitrary<T[]> {
  if (max === 0) return fc.constant([]);
  const branches: { arbitrary: fc.Arbitrary<T[]>; weight: number }[] = [{ arbitrary: fc.constant([]), weight: 4 }];
  branches.push({ arbitrary: fc.array(item, { minLength: 1, maxLength: Math.min(3, max) }), weight: 4 });
  if (max >= 4) branches.push({ arbitrary: fc.array(item, { minLength: 4, maxLength: max }), weight: 2 });
  return fc.oneof({ withCrossShrink: true }, ...branches);
}

function assertCount(name: string, n: number | undefined, max: number): void {
  if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n <= max)) throw new RangeError(`impersonationHeaders: ${name} must be an integer in [0, ${max}], got ${n}`);
}

/**
 * An ordered raw `Impersonate-*` header list as a client would send it (user, uid, groups, extras),
 * with the odd spellings, repeats and encodings the server must cope with. Every name is an HTTP
 * token and every value printable ASCII, so Node's http client sends the list unchanged.
 */
export function impersonationHeaders(constraints: ImpersonationHeadersConstraints = {}): fc.Arbitrary<HeaderList> {
  const uidOneIn = constraints.uidOneIn ?? 4;
  assertCount("uidOneIn", uidOneIn, 1000);
  assertCount("maxGroups", constraints.maxGroups, 32);
  assertCount("maxExtraKeys", constraints.maxExtraKeys, 16);
  assertCount("maxValuesPerKey", constraints.maxValuesPerKey, 8);
  if (constraints.maxValuesPerKey === 0) throw new RangeError("impersonationHeaders: maxValuesPerKey must be >= 1");
  const oddities = constraints.oddities ?? true;
  const userArb =
    constraints.user ?? fc.oneof({ withCrossShrink: true }, { arbitrary: wantedUser(), weight: 11 }, { arbitrary: fc.constant<string | null>(null), weight: 1 });
  const valueArb = constraints.extraValue ?? defaultExtraValueArb();
  const extrasArb = countBiasedArray(fc.tuple(constraints.extraKey ?? extraKey(), fc.array(valueArb, { minLength: 1, maxLength: constraints.maxValuesPerKey ?? 3 })), constraints.maxExtraKeys ?? 5)
    // one entry per decoded key; a second escaping of one key is the separate `respell` oddity
    .map((entries) => entries.filter(([k], i) => entries.findIndex(([k2]) => decodeExtraKey(k2) === decodeExtraKey(k)) === i));
  return fc
    .record({
      user: userArb,
      secondUser: oddities ? fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant<string | null>(null), weight: 24 }, { arbitrary: wantedUser(), weight: 1 }) : fc.constant(null),
      uid: sometimes(uidOneIn, fc.constantFrom(...WANTED_UIDS), ""),
      secondUid: oddities ? fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant<string | null>(null), weight: 12 }, { arbitrary: fc.constantFrom(...WANTED_UIDS), weight: 1 }) : fc.constant(null),
      groups: countBiasedArray(constraints.group ?? defaultGroupArb(), constraints.maxGroups ?? 6),
      extras: extrasArb,
      respell: oddities ? rarely(25) : fc.constant(false),
      spelling: fc.record({ user: spellingArb(oddities), uid: spellingArb(oddities), group: spellingArb(oddities), extra: spellingArb(oddities) }),
    })
    .map(partsToHeaders);
}
