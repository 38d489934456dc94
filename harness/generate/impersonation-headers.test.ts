import { createServer, request, validateHeaderName, validateHeaderValue } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalHeaderKey, readWantedUser } from "./_internals/helpers/headers.ts";
import { assertSeedStable, assertShrinksValid } from "./_internals/testing/arbitrary-assertions.ts";
import { probeProblems } from "./_internals/testing/validate.ts";
import { type HeaderList, impersonationHeaders, respellExtraSuffix } from "./impersonation-headers.ts";

const problems = (h: HeaderList) => probeProblems({ requestor: { username: "r0", uid: "", groups: [], extra: {} }, request: { method: "GET", path: "/api", headers: h } }, "headers");

describe("impersonationHeaders", () => {
  it("is seed-stable", () => assertSeedStable(impersonationHeaders()));

  it("names are tokens and values printable ASCII: Node's validators accept every list", () => {
    for (const h of fc.sample(impersonationHeaders(), { seed: 5, numRuns: 500 })) {
      expect(problems(h)).toEqual([]);
      for (const [n, v] of h) {
        expect(() => validateHeaderName(n)).not.toThrow();
        expect(() => validateHeaderValue(n, v)).not.toThrow();
      }
    }
  });

  it("hits the edges of SPEC §5/§7: wildcard counts, special groups, bad keys, odd spellings, repeats, no user", () => {
    const lists = fc.sample(impersonationHeaders(), { seed: 11, numRuns: 1500 });
    const wanted = lists.map(readWantedUser);
    const share = (pred: (i: number) => boolean) => lists.filter((_, i) => pred(i)).length / lists.length;
    expect(share((i) => wanted[i]!.groups.length >= 4)).toBeGreaterThan(0.08);
    expect(share((i) => wanted[i]!.extra.length >= 4)).toBeGreaterThan(0.03);
    expect(share((i) => wanted[i]!.groups.includes(""))).toBeGreaterThan(0.01);
    expect(share((i) => wanted[i]!.groups.includes("system:masters"))).toBeGreaterThan(0.01);
    expect(share((i) => new Set(wanted[i]!.groups).size < wanted[i]!.groups.length)).toBeGreaterThan(0.01);
    expect(share((i) => wanted[i]!.uid !== "")).toBeGreaterThan(0.15);
    expect(share((i) => !lists[i]!.some(([n]) => canonicalHeaderKey(n) === "Impersonate-User"))).toBeGreaterThan(0.03);
    expect(share((i) => lists[i]!.filter(([n]) => canonicalHeaderKey(n) === "Impersonate-User").length === 2)).toBeGreaterThan(0.01);
    expect(share((i) => lists[i]!.some(([n]) => n === "impersonate-user" || n === "IMPERSONATE-GROUP" || n === "impersonate-uid"))).toBeGreaterThan(0.03);
    expect(share((i) => lists[i]!.some(([n, v]) => n.startsWith("Impersonate-Extra-") && v === ""))).toBeGreaterThan(0.005);
    expect(share((i) => lists[i]!.some(([n]) => /%2E/.test(n)))).toBeGreaterThan(0.002);
    expect(share((i) => wanted[i]!.extra.some(([k]) => k === "%zz" || k === "scopes"))).toBeGreaterThan(0.01);
  });

  it("respells an extra key to another header name with the same decoded key", () => {
    expect(respellExtraSuffix("example.com%2Fscopes")).toBe("example%2Ecom%2Fscopes");
    expect(respellExtraSuffix("%zz")).toBeUndefined();
    expect(respellExtraSuffix("scopes")).toBe("%73copes");
    expect(respellExtraSuffix("")).toBeUndefined();
  });

  it("honours constraints", () => {
    for (const h of fc.sample(impersonationHeaders({ user: fc.constant("bob"), maxGroups: 0, maxExtraKeys: 0, uidOneIn: 0, oddities: false }), 50)) {
      expect(h).toEqual([["Impersonate-User", "bob"]]);
    }
    expect(() => impersonationHeaders({ maxGroups: -1 })).toThrow(/maxGroups/);
    expect(() => impersonationHeaders({ maxValuesPerKey: 0 })).toThrow(/maxValuesPerKey/);
  });

  it("shrinks into sendable lists", () => {
    assertShrinksValid(impersonationHeaders(), problems, { interesting: (h) => readWantedUser(h).groups.length >= 2 });
  });

  describe("on the wire", () => {
    let server: ReturnType<typeof createServer>;
    let port = 0;
    const received: string[][] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        received.push(req.rawHeaders);
        res.end("ok");
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it("Node sends every generated list verbatim, in order (raw header array, as ApiClient does)", async () => {
      for (const h of fc.sample(impersonationHeaders(), { seed: 21, numRuns: 60 })) {
        received.length = 0;
        await new Promise<void>((resolve, reject) => {
          const raw = ["Host", `127.0.0.1:${port}`, ...h.flat()];
          const r = request({ host: "127.0.0.1", port, method: "GET", path: "/", headers: raw }, (res) => {
            res.resume();
            res.on("end", resolve);
          });
          r.on("error", reject);
          r.end();
        });
        const got = received[0]!;
        const pairs: [string, string][] = [];
        for (let i = 0; i < got.length; i += 2) if (/^impersonate-/i.test(got[i]!)) pairs.push([got[i]!, got[i + 1]!]);
        // Node's server trims surrounding whitespace like Go's textproto does
        expect(pairs).toEqual(h.map(([n, v]) => [n, v.trim()]));
      }
    });
  });
});
