import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { sameUser, type UserInfo } from "./user-info.ts";

describe("sameUser", () => {
  // The equality the cache key encodes: name, uid, groups in order, extras as a map of value lists.
  const reference = (a: UserInfo, b: UserInfo): boolean => {
    const extra = (u: UserInfo) => JSON.stringify(Object.keys(u.extra).sort().map((k) => [k, u.extra[k]]));
    return a.username === b.username && a.uid === b.uid && JSON.stringify(a.groups) === JSON.stringify(b.groups) && extra(a) === extra(b);
  };
  const small = fc.constantFrom("a", "b", "");
  const extra = fc.dictionary(fc.constantFrom("k", "node-name", "__proto__", "x/y"), fc.array(small, { maxLength: 2 }), { maxKeys: 3 });
  const user = fc.record({ username: small, uid: small, groups: fc.array(small, { maxLength: 2 }), extra });
  // Half the pairs differ in their extras only, where a missing or extra key is easy to overlook.
  test.prop([user, user, fc.boolean()])("is name, uid, groups in order and extras as a map", (a, other, extrasOnly) => {
    const b = extrasOnly ? { ...a, extra: other.extra } : other;
    expect(sameUser(a, b)).toBe(reference(a, b));
    expect(sameUser(b, a)).toBe(reference(a, b));
    // Equal values in other objects (extras made in another key order) are the same user.
    const copy: UserInfo = { ...a, groups: [...a.groups], extra: Object.fromEntries(Object.entries(a.extra).reverse()) };
    expect(sameUser(a, copy)).toBe(true);
  });
});
