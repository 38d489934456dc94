import { describe, expect, it } from "vitest";
import type { Check } from "../core/index.ts";
import { newCheckList, usedChecks } from "./types.ts";

describe("usedChecks", () => {
  it("is the used part of the list, for any count (the list grown past its six slots included)", () => {
    for (let n = 0; n <= 9; n++) {
      const list = newCheckList();
      for (let i = 0; i < n; i++) list[i] = { decision: "allow", decidedBy: "rbac", attributes: { name: String(i) } } as unknown as Check;
      const used = usedChecks(list, n);
      expect(used).toEqual(list.slice(0, n));
      expect(used.length).toBe(n);
      // A copy unless every slot is used: the list is made per request, so handing it out is safe then.
      expect(used === list).toBe(n === list.length);
    }
  });
});
