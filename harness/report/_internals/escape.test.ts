import { describe, expect, it } from "vitest";
import { html, mdCode, mdFence, mdText, xmlAttr, xmlText } from "./escape.ts";
import { formatSeconds, headline, visible } from "./text.ts";

describe("visible", () => {
  it("writes unshowable characters as escapes and leaves the rest, emoji included", () => {
    expect(visible("a\u0000b\u0001c\u001f\uffff\udc00\ud800 \ud800\udc00😀")).toBe("a\\0b\\u0001c\\u001f\\uffff\\udc00\\ud800 \u{10000}😀");
    expect(visible("tab\tnl\ncr\r")).toBe("tab\tnl\ncr\r");
    expect(visible("tab\tnl\ncr\r\u007f", { oneLine: true })).toBe("tab\\tnl\\ncr\\r\\u007f");
  });
});

describe("xml", () => {
  it("escapes markup, keeps ]]> out of text and newlines inside attributes", () => {
    expect(xmlText("<a> & ]]> \u0000")).toBe("&lt;a&gt; &amp; ]]&gt; \\0");
    expect(xmlAttr(`"x" 'y' <z>\n\t\r`)).toBe("&quot;x&quot; &apos;y&apos; &lt;z&gt;&#10;&#9;&#13;");
  });
});

describe("html", () => {
  it("escapes the five characters that matter in text and attributes", () => {
    expect(html(`<script>"&'</script>\u0001`)).toBe("&lt;script&gt;&quot;&amp;&#39;&lt;/script&gt;\\u0001");
  });
});

describe("markdown", () => {
  it("backslash-escapes inline markup and keeps a value on its table row", () => {
    expect(mdText("a|b `c` *d* _e_ [f](g) <h> &amp; ~~i~~ $j$ \\")).toBe(
      "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\<h\\> \\&amp; \\~\\~i\\~\\~ \\$j\\$ \\\\",
    );
    expect(mdText("one\ntwo\r\nthree")).toBe("one<br>two<br>three");
  });

  it("fences code spans longer than any backtick run inside, padding edge backticks", () => {
    expect(mdCode("plain")).toBe("`plain`");
    expect(mdCode("a`b")).toBe("``a`b``");
    expect(mdCode("`x`")).toBe("`` `x` ``");
    expect(mdCode(" both ")).toBe("`  both  `");
    expect(mdCode("   ")).toBe("`   `");
    expect(mdCode("")).toBe("*(empty)*");
    expect(mdCode("a|b", { inTable: true })).toBe("`a\\|b`");
    expect(mdCode("a|b")).toBe("`a|b`");
    expect(mdCode("x\ny")).toBe("`x\\ny`");
  });

  it("fences blocks longer than any backtick run in them", () => {
    expect(mdFence("a", "yaml")).toBe("```yaml\na\n```");
    expect(mdFence("```\n`````", "")).toBe("``````\n```\n`````\n``````");
  });
});

describe("text", () => {
  it("formats durations and headlines", () => {
    expect(formatSeconds(1.234)).toBe("1.23 s");
    expect(formatSeconds(42.25)).toBe("42.3 s");
    expect(formatSeconds(125)).toBe("2 m 05 s");
    expect(formatSeconds(3725)).toBe("1 h 02 m");
    expect(formatSeconds(Number.NaN)).toBe("?");
    expect(headline("first\nsecond")).toBe("first …");
    expect(headline("x".repeat(10), 5)).toBe("xxxx…");
    expect(headline("😀".repeat(10), 5)).toBe("😀😀😀😀…");
  });
});
