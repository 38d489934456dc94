import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { pendingCleanups } from "../../core/cleanup.ts";
import { expectReleased, providerSmokeSuite } from "../../testing/provider-smoke.ts";
import { startTestCluster, TEST_KUBE_VERSION } from "../../testing/test-cluster.ts";
import { TEMP_PREFIX } from "../local/process/temp-dir.ts";
import { LABEL_COMPONENT, LABEL_OWNER_PID, LABEL_RUN, ownerLabels } from "../testcontainers/owner.ts";
import { ensureKind } from "./kind-binary.ts";
import { createNetwork, networksWithLabel } from "./kind-network.ts";
import { KIND_NETWORK_COMPONENT, LABEL_WORK_DIR, removeKindOrphans } from "./kind-orphans.ts";
import { KindProvider } from "./kind-provider.ts";
import { buildNodeImage } from "./node-image/build-node-image.ts";
import { localNodeImage } from "./node-image/pins.ts";

// Not skipped without Docker: kind is part of the product. `.ci/run` starts a Docker engine (with the
// runtime adaptation these machines need, .ci/docker-up) and builds the node image first; here it is
// only checked or, when the inputs changed, rebuilt.
let kind = "";
beforeAll(async () => {
  try {
    await buildNodeImage({ version: TEST_KUBE_VERSION });
    kind = (await ensureKind()).path;
  } catch (e) {
    throw new Error(`the kind provider tests need a Docker engine and the node image (\`bash .ci/docker-up\`, then \`impfuzz kube node-image\`; .ci/run does both): ${(e as Error).message}`, { cause: e });
  }
}, 900_000);

providerSmokeSuite(() => new KindProvider());

async function dockerLines(args: string[]): Promise<string[]> {
  return (await execa("docker", args)).stdout.split("\n").filter(Boolean).sort();
}

describe("kind provider", () => {
  it("runs the local node image and leaves no container, network, volume, process or temp dir behind after stop", async () => {
    const volumesBefore = await dockerLines(["volume", "ls", "-q"]);
    const cluster = await startTestCluster(true, new KindProvider());
    const { containers, pids, paths } = cluster.resources;
    expect(containers).toHaveLength(1);
    const node = containers[0] as string;
    const clusterName = node.replace(/-control-plane$/, "");
    expect((await execa("docker", ["inspect", "--format", "{{.Config.Image}}", node])).stdout).toBe(localNodeImage(TEST_KUBE_VERSION));
    expect(await dockerLines(["network", "ls", "--filter", `name=^${clusterName}$`, "--format", "{{.Name}}"])).toEqual([clusterName]);
    expect(pids).toHaveLength(1);
    for (const p of paths) expect(existsSync(p)).toBe(true);
    expect(pendingCleanups()).toContain(`kind cluster ${clusterName}`);
    // Written by root in the node, readable by an impfuzz that is not root (a docker-group user).
    expect(statSync(cluster.audit!.path).mode & 0o044).toBe(0o044);

    await cluster.stop();
    expectReleased(cluster.resources);
    expect(await dockerLines(["ps", "-aq", "--filter", `label=io.x-k8s.kind.cluster=${clusterName}`])).toEqual([]);
    expect(await dockerLines(["network", "ls", "-q", "--filter", `name=^${clusterName}$`])).toEqual([]);
    expect(await dockerLines(["volume", "ls", "-q"])).toEqual(volumesBefore);
    expect(pendingCleanups().filter((n) => n.includes(clusterName))).toEqual([]);
  });

  it("removes the network and work dir a killed run left, and nothing of a live owner", async () => {
    // A process that has exited stands for the killed owner: its pid no longer runs with that start time.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(dead.stdout);
    const workDir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}cluster-`));
    const orphan = `impfuzz-orphan-${process.pid}`;
    await createNetwork(orphan, {
      ...ownerLabels(orphan, KIND_NETWORK_COMPONENT, { host: (await import("node:os")).hostname(), pid: deadPid, start: "1" }),
      [LABEL_WORK_DIR]: workDir,
    });
    const live = `impfuzz-live-${process.pid}`;
    await createNetwork(live, ownerLabels(live, KIND_NETWORK_COMPONENT));
    try {
      const removed = await removeKindOrphans(kind);
      expect(removed).toEqual([{ cluster: orphan, ownerPid: String(deadPid), dirs: [workDir] }]);
      expect(existsSync(workDir)).toBe(false);
      const left = (await networksWithLabel(LABEL_RUN)).map((n) => n.name);
      expect(left).toContain(live);
      expect(left).not.toContain(orphan);
      const liveLabels = (await networksWithLabel(LABEL_RUN)).find((n) => n.name === live)?.labels;
      expect(liveLabels).toMatchObject({ [LABEL_COMPONENT]: KIND_NETWORK_COMPONENT, [LABEL_OWNER_PID]: String(process.pid) });
    } finally {
      await execa("docker", ["network", "rm", live], { reject: false });
      await execa("docker", ["network", "rm", orphan], { reject: false });
    }
  });
});
