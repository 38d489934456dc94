import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectReleased, providerSmokeSuite } from "../../testing/provider-smoke.ts";
import { startTestCluster } from "../../testing/test-cluster.ts";
import { LocalProvider } from "./local-provider.ts";

providerSmokeSuite(() => new LocalProvider());

describe("local provider cleanup", () => {
  it("leaves no process and no temp dir behind after stop", async () => {
    const cluster = await startTestCluster(true);
    const { pids, paths } = cluster.resources;
    expect(pids).toHaveLength(2);
    for (const p of paths) expect(existsSync(p)).toBe(true);
    await cluster.stop();
    expectReleased(cluster.resources);
  });
});
