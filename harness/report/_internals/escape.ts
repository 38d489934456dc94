import { visible } from "./text.ts";

/**
 * Escaping for each output format. Every function first makes unshowable characters visible
 * (`visible`), so NUL, U+0001, unpaired surrogates and the like never reach a file raw.
 * @internal
 */

// ---- XML 1.0 (JUnit) ----

const XML_TEXT: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const XML_ATTR: Readonly<Record<string, string>> = {
  ...XML_TEXT,
  '"': "&quot;",
  "'": "&apos;",
  // Attribute-value normalisation would turn these into spaces; character references survive it.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Character data: `>` is always escaped, so `]]>` cannot occur. */
export function xmlText(s: string): string {
  return visible(s).replace(/[&<>]/g, (c) => XML_TEXT[c] ?? c);
}

export function xmlAttr(s: string): string {
  return visible(s).replace(/[&<>"'\t\n\r]/g, (c) => XML_ATTR[c] ?? c);
}

// ---- HTML ----

const HTML: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Safe in text and in quoted attribute values alike. */
export function html(s: string): string {
  return visible(s).replace(/[&<>"']/g, (c) => HTML[c] ?? c);
}

// ---- Markdown (CommonMark + GFM tables) ----

/**
 * Inline text: backslash-escapes the punctuation that could start markup (emphasis, code, links,
 * raw HTML, entities, GFM strikethrough and table pipes, GitHub math), and turns newlines into
 * `<br>` so a value never breaks a table row or a list item.
 */
export function mdText(s: string): string {
  return visible(s)
    .replace(/[\\`*_[\]<>|&~$]/g, "\\$&")
    .replace(/\r\n|\r|\n/g, "<br>");
}

function longestRun(s: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of s) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/**
 * An inline code span holding `s` exactly: the fence is longer than any backtick run inside, padding
 * keeps edge backticks and spaces. In a table cell (`inTable`), pipes are escaped as GFM requires
 * even inside code.
 */
export function mdCode(s: string, options: { readonly inTable?: boolean } = {}): string {
  let content = visible(s, { oneLine: true });
  if (content === "") return "*(empty)*";
  if (options.inTable) content = content.replaceAll("|", "\\|");
  const fence = "`".repeat(longestRun(content, "`") + 1);
  const pad = content.startsWith("`") || content.endsWith("`") || (content.startsWith(" ") && content.endsWith(" ") && content.trim() !== "");
  return pad ? `${fence} ${content} ${fence}` : `${fence}${content}${fence}`;
}

/** A fenced code block whose fence no line of `content` can close early. */
export function mdFence(content: string, lang = ""): string {
  const body = visible(content);
  const fence = "`".repeat(Math.max(3, longestRun(body, "`") + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}
