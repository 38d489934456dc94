import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { CheckAttributes } from "../core/index.ts";
import { composeForbiddenStatus, forbiddenStatus, requestTemplates, templateSlot } from "./messages.ts";

// forbiddenStatus may answer from a table of per-attribute-set templates: whatever the strings hold and
// whatever was asked before, it must give exactly the status the pieces compose to.

const user = (username: string) => ({ username, uid: "", groups: [], extra: {} });
const attrs = (o: Partial<Omit<CheckAttributes, "user">> & { username?: string }): CheckAttributes => ({
  user: user(o.username ?? "alice"), verb: o.verb ?? "get", resourceRequest: o.resourceRequest ?? true, namespace: o.namespace ?? "default",
  group: o.group ?? "", version: o.version ?? "v1", resource: o.resource ?? "pods", subresource: o.subresource ?? "", name: o.name ?? "obj-1",
  path: o.path ?? "",
});

// Mostly plain pool values (so whole sets are plain, repeat, and hit their template), sometimes strings
// that must take the general path: quotes and backslashes, `&<>`, non-ASCII, invalid-byte escapes.
const text = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("", "get", "impersonate:user-info", "pods", "users", "authentication.k8s.io", "default", "user-3", "/healthz", "status") },
  { weight: 1, arbitrary: fc.constantFrom('a"b', "a\\b", "<b>&", "é", "\udc80", "x\udcff") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
);
const attributeSet = fc.record({
  username: text, verb: text, resourceRequest: fc.boolean(), namespace: text, group: text, resource: text, subresource: text, name: text, path: text,
});

describe("forbiddenStatus", () => {
  test.prop([fc.array(fc.tuple(attributeSet, fc.oneof(fc.constant(""), text), fc.boolean()), { minLength: 1, maxLength: 20 })])(
    "equals the status composed from its pieces, asked once or again",
    (calls) => {
      for (const [o, reason, clean] of [...calls, ...calls]) {
        const a = attrs(o);
        expect(forbiddenStatus(a, reason, clean)).toEqual(composeForbiddenStatus(a, reason, clean));
      }
    },
  );

  // A request's own checks keep their template in a cell: every user of the one attribute set it was
  // made for (the only way callers use a cell) gets the composed status too.
  test.prop([attributeSet, fc.array(fc.tuple(text, fc.oneof(fc.constant(""), text), fc.boolean()), { minLength: 1, maxLength: 8 })])(
    "from a template cell, equals the status composed from its pieces for any user of the cell's attribute set",
    (o, users) => {
      const cell = requestTemplates().final;
      for (const [username, reason, clean] of users) {
        const a = attrs({ ...o, username });
        expect(forbiddenStatus(a, reason, clean, cell)).toEqual(composeForbiddenStatus(a, reason, clean));
      }
    },
  );

  // Two sets in one slot: the second must not be answered from the first's template, whichever field differs.
  const fields = ["verb", "namespace", "group", "resource", "subresource", "name", "path"] as const;
  for (const field of fields) {
    it(`tells apart two attribute sets in one slot that differ only in ${field}`, () => {
      const first = attrs({ [field]: "x" });
      let second: CheckAttributes | undefined;
      // Candidates vary in length and in their first, middle and last characters, which the slot hash reads.
      const letter = (n: number) => String.fromCharCode(0x61 + (n % 26));
      for (let i = 0; second === undefined && i < 26 * 26 * 26 * 8; i++) {
        const pad = "-".repeat(Math.floor(i / (26 * 26 * 26)));
        const value = letter(i) + pad + letter(Math.floor(i / 26)) + pad + letter(Math.floor(i / 676));
        const candidate = attrs({ [field]: value });
        if (value !== "x" && templateSlot(candidate) === templateSlot(first)) second = candidate;
      }
      if (second === undefined) throw new Error(`no attribute set shares a slot with the first by ${field}`);
      forbiddenStatus(first, "");
      expect(forbiddenStatus(second, "").message).toBe(composeForbiddenStatus(second, "", false).message);
      expect(forbiddenStatus(second, "").details).toEqual(composeForbiddenStatus(second, "", false).details);
    });
  }
});
