import { describe, expect, it } from "vitest";
import { findAll, parseXml } from "./xml-check.ts";

// The checker is only worth something if it rejects what a real parser rejects.
describe("parseXml (test helper)", () => {
  it("parses a small document and decodes references", () => {
    const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<a x="1 &amp; &#10;2" y='&lt;'><b>t &gt; &#x1F600;</b><b/></a>\n`);
    expect(root.name).toBe("a");
    expect(root.attrs).toEqual({ x: "1 & \n2", y: "<" });
    expect(findAll(root, "b")).toHaveLength(2);
    expect(root.children[0]?.text).toBe("t > 😀");
  });

  it.each([
    ["unbalanced tags", "<a><b></a>"],
    ["two roots", "<a/><b/>"],
    ["raw < in an attribute", '<a x="<"/>'],
    ["raw & in text", "<a>&</a>"],
    ["unknown entity", "<a>&nbsp;</a>"],
    ["]]> in text", "<a>]]></a>"],
    ["NUL character", "<a>\u0000</a>"],
    ["U+0001 character", '<a x="\u0001"/>'],
    ["reference to NUL", "<a>&#0;</a>"],
    ["reference to U+0001", "<a>&#x1;</a>"],
    ["lone surrogate", "<a>\ud800</a>"],
    ["U+FFFF", "<a>\uffff</a>"],
    ["duplicate attribute", '<a x="1" x="2"/>'],
    ["unquoted attribute", "<a x=1/>"],
    ["missing root", "<?xml version=\"1.0\"?>"],
  ])("rejects %s", (_what, doc) => {
    expect(() => parseXml(doc)).toThrow();
  });
});
