import { type Document, type LineCounter, type Node, isMap, isPair, isScalar, isSeq } from "yaml";

/** @internal A path into a parsed document, as zod reports it. */
export type IssuePath = readonly PropertyKey[];

function keyOf(pair: { key: unknown }): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

/**
 * @internal The 1-based line of the node at `path` in `doc`. When the path runs past what the file
 * holds (a missing field), the line of the deepest node that exists is returned: the mapping the
 * field belongs in. With `key`, the line of that key inside the mapping at `path` (unknown fields).
 */
export function lineOf(doc: Document, lines: LineCounter, path: IssuePath, key?: string): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  const segments: PropertyKey[] = key === undefined ? [...path] : [...path, key];
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && String(keyOf(p)) === String(segment));
      if (pair === undefined) break;
      // The key's line is what a reader looks for; a value may start on the next line.
      offset = rangeStart(pair.key) ?? offset;
      if (pair.value === null || segment === key) {
        node = undefined;
        break;
      }
      node = pair.value;
      // Scalars and flow collections start on the key's line; block collections a line below:
      // report the key's line for those too, it names the field.
      continue;
    }
    if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
      continue;
    }
    break;
  }
  return lines.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** @internal Line of the start of a document (its first content line). */
export function documentLine(doc: Document, lines: LineCounter): number {
  return lines.linePos(rangeStart(doc.contents) ?? doc.range?.[0] ?? 0).line;
}

/** @internal Whether a document of a stream holds nothing (`---` with no content). */
export function isEmptyDocument(doc: Document): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null);
}

/** @internal The JS value at `path` inside `value`, or undefined. */
export function valueAt(value: unknown, path: IssuePath): unknown {
  let v = value;
  for (const segment of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[segment as string];
  }
  return v;
}
