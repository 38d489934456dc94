/**
 * Go string semantics the filter's outputs depend on (SPEC §5 decoding, §10 messages).
 *
 * A Go string is a byte sequence, not necessarily UTF-8: `url.PathUnescape("%ff")` yields byte 0xff, and
 * a header value is whatever bytes the client sent. Inside the oracle a Go string is a JS string holding
 * the UTF-8 decoding of those bytes, where every byte that is not part of a valid UTF-8 sequence (by Go's
 * rules) is kept as a lone low surrogate U+DC00+byte (U+DC80–U+DCFF) ("surrogate escape", U+DC00+byte as Python's surrogateescape). Valid UTF-8 never encodes a
 * surrogate, so the mapping bytes ⇄ string is a bijection and plain text stays plain text. Strings that
 * come from the authenticator (requestor names, extras) are ordinary JSON text and need no conversion.
 *
 * What a client sees passes through Go's encoding/json, which turns each invalid byte into U+FFFD:
 * `visible()` does that for predictions.
 */

// Invalid bytes are always ≥ 0x80 (ASCII is always valid), so byte b ↦ U+DC00+b lands in U+DC80–U+DCFF.
const ESCAPE_BASE = 0xdc00;

/** Go's utf8.DecodeRune acceptance: the valid range of the second byte depends on the first. */
function sequenceLength(bytes: ArrayLike<number>, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) need = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    need = 3;
    if (b0 === 0xe0) lo = 0xa0;
    if (b0 === 0xed) hi = 0x9f; // surrogates are invalid in Go's UTF-8
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    need = 4;
    if (b0 === 0xf0) lo = 0x90;
    if (b0 === 0xf4) hi = 0x8f;
  } else return 0;
  if (i + need > bytes.length) return 0;
  const b1 = bytes[i + 1]!;
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < need; k++) {
    const b = bytes[i + k]!;
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return need;
}

/** Bytes → Go string (surrogate-escaped where not valid UTF-8, each bad byte on its own as Go's range loop does). */
export function bytesToGo(bytes: ArrayLike<number>): string {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out += String.fromCharCode(ESCAPE_BASE + bytes[i]!);
      i++;
      continue;
    }
    if (n === 1) out += String.fromCharCode(bytes[i]!);
    else {
      const b0 = bytes[i]!;
      let cp = n === 2 ? b0 & 0x1f : n === 3 ? b0 & 0x0f : b0 & 0x07;
      for (let k = 1; k < n; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f);
      out += String.fromCodePoint(cp);
    }
    i += n;
  }
  return out;
}

const ASCII = /^[\x00-\x7f]*$/;
const LATIN1 = /^[\x00-\xff]*$/;

/**
 * A header name or value from `HttpRequest.headers` → Go string. Node's http and fetch send header
 * strings as ByteStrings (one char = one byte; they refuse chars above U+00FF), so each char is a byte.
 * A string with chars above U+00FF cannot be sent by Node; it is then taken as text (UTF-8 on the wire).
 */
export function wireToGo(s: string): string {
  if (ASCII.test(s) || !LATIN1.test(s)) return s;
  const bytes = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytesToGo(bytes);
}

function isEscape(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < ESCAPE_BASE || c > 0xdcff) return false;
  const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
  return !(prev >= 0xd800 && prev <= 0xdbff);
}

const HAS_LOW_SURROGATE = /[\udc00-\udfff]/;

/**
 * Whether `s` may hold an invalid-byte escape (a code unit in U+DC00–U+DFFF). A char scan: the strings
 * tested per request (names, groups, verbs) are a few characters long, where a RegExp call costs more.
 */
export function hasEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** Go string → its bytes. */
export function goToBytes(s: string): Uint8Array {
  if (ASCII.test(s)) return Uint8Array.from(s, (c) => c.charCodeAt(0));
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (isEscape(s, i)) {
      out.push(s.charCodeAt(i) - ESCAPE_BASE);
      continue;
    }
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const ch = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp; // a stray surrogate from a caller: Go would hold U+FFFD
    if (ch < 0x80) out.push(ch);
    else if (ch < 0x800) out.push(0xc0 | (ch >> 6), 0x80 | (ch & 0x3f));
    else if (ch < 0x10000) out.push(0xe0 | (ch >> 12), 0x80 | ((ch >> 6) & 0x3f), 0x80 | (ch & 0x3f));
    else out.push(0xf0 | (ch >> 18), 0x80 | ((ch >> 12) & 0x3f), 0x80 | ((ch >> 6) & 0x3f), 0x80 | (ch & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Go's `len(s)`: bytes, which is what apimachinery's length limits (63, 253) count. */
export function goLen(s: string): number {
  return ASCII.test(s) ? s.length : goToBytes(s).length;
}

/** Go's `a < b` (byte order), used where Go sorts strings (sets.List, fmt map keys). */
export function compareGo(a: string, b: string): number {
  if (ASCII.test(a) && ASCII.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(goToBytes(a), goToBytes(b));
}

/** What JSON clients see: each invalid byte becomes U+FFFD (encoding/json). Returns `s` itself when clean. */
export function visible(s: string): string {
  if (!HAS_LOW_SURROGATE.test(s)) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) out += isEscape(s, i) ? "\ufffd" : s[i];
  return out;
}

/** ASCII lower-casing, which is all `strings.ToLower` does on the ASCII-only strings it meets here. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

// strconv.IsPrint = Unicode categories L, M, N, P, S plus U+0020, from Go's own tables (Unicode 15.0.0 in
// Go 1.25/1.26). Node 20 knows Unicode 17, so code points assigned after 15.0 are printable for the regex
// below but not for Go. Generated by comparing strconv.IsPrint (go1.26.8) with this regex over all code
// points: every difference is such a range (none the other way).
const PRINT = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
// prettier-ignore
const NOT_PRINT_IN_GO: readonly (readonly [number, number])[] = [[2191,2191],[2199,2199],[3164,3164],[3292,3292],[6863,6877],[6880,6891],[6990,6991],[7039,7039],[7305,7306],[8385,8385],[9255,9257],[11158,11158],[12284,12287],[12772,12773],[12783,12783],[42955,42959],[42962,42962],[42964,42964],[42970,42972],[42993,42993],[64451,64466],[64912,64913],[64968,64974],[67008,67059],[67904,67929],[68928,68965],[68969,68997],[69006,69007],[69314,69319],[69328,69336],[69370,69372],[70528,70537],[70539,70539],[70542,70542],[70544,70581],[70583,70592],[70594,70594],[70597,70597],[70599,70602],[70604,70613],[70615,70616],[70625,70626],[71376,71395],[72544,72551],[72640,72673],[72688,72697],[73136,73179],[73184,73193],[73562,73562],[78944,82938],[90368,90425],[93504,93561],[93856,93880],[93883,93907],[94194,94198],[100344,100351],[101631,101631],[101641,101662],[101760,101874],[117760,118012],[118016,118451],[118458,118480],[118496,118512],[124368,124410],[124415,124415],[124608,124638],[124640,124661],[124670,124671],[128728,128728],[128887,128890],[129202,129211],[129216,129217],[129232,129240],[129620,129623],[129673,129674],[129678,129679],[129726,129726],[129734,129734],[129736,129736],[129741,129741],[129756,129756],[129759,129759],[129769,129770],[129775,129775],[129995,130031],[130042,130042],[177978,177983],[183970,183981],[191472,192093],[205744,210041]];

export function goIsPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return false;
  if (!PRINT.test(String.fromCodePoint(cp))) return false;
  for (const [lo, hi] of NOT_PRINT_IN_GO) {
    if (cp < lo) return true;
    if (cp <= hi) return false;
  }
  return true;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

/** Printable ASCII but `"` and `\`: strconv.Quote only adds the quotes (a char scan: the strings are short). */
function quotesAsIs(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

/** strconv.Quote, which is also what fmt's `%q` and `%#v` print for a string. */
export function goQuote(s: string): string {
  if (quotesAsIs(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    if (isEscape(s, i)) {
      out += `\\x${hex(s.charCodeAt(i) - ESCAPE_BASE, 2)}`;
      continue;
    }
    let cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // stray surrogate from a caller: Go holds U+FFFD
    if (cp === 0x22 || cp === 0x5c) out += `\\${String.fromCharCode(cp)}`;
    else if (goIsPrint(cp)) out += String.fromCodePoint(cp);
    else if (cp === 7) out += "\\a";
    else if (cp === 8) out += "\\b";
    else if (cp === 12) out += "\\f";
    else if (cp === 10) out += "\\n";
    else if (cp === 13) out += "\\r";
    else if (cp === 9) out += "\\t";
    else if (cp === 11) out += "\\v";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `${out}"`;
}
