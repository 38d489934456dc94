import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getContainerRuntimeClient } from "testcontainers";
import { pendingCleanups } from "../../core/cleanup.ts";
import { TEMP_PREFIX } from "../local/process/temp-dir.ts";
import { alive, expectReleased, providerSmokeSuite } from "../../testing/provider-smoke.ts";
import { startTestCluster, TEST_KUBE_VERSION } from "../../testing/test-cluster.ts";
import { buildImages } from "./build-images.ts";
import { apiserverImage, etcdImage } from "./images.ts";
import { currentOwner, LABEL_COMPONENT, LABEL_OWNER_PID, LABEL_RUN, ownerLabels, type RemovedOrphan } from "./owner.ts";
import { TestcontainersProvider } from "./testcontainers-provider.ts";

// Not skipped without Docker: the provider is part of the product, so a missing engine fails here with
// the provider's own message ("start dockerd or use --provider local"). `.ci/run` starts one
// (.ci/docker-up). The images are built from the cached binaries when missing or stale (no registry
// here); with a registry they could equally be pulled.
beforeAll(async () => {
  try {
    await buildImages({ version: TEST_KUBE_VERSION });
  } catch (e) {
    throw new Error(`the testcontainers provider tests need a Docker engine and its images (\`bash .ci/docker-up\` starts one; .ci/run does): ${(e as Error).message}`, { cause: e });
  }
}, 600_000);

providerSmokeSuite(() => new TestcontainersProvider());

async function docker() {
  return (await getContainerRuntimeClient()).container.dockerode;
}

async function danglingVolumes(): Promise<string[]> {
  const r = await (await docker()).listVolumes({ filters: { dangling: ["true"] } });
  return (r.Volumes ?? []).map((v) => v.Name).sort();
}

describe("testcontainers provider cleanup", () => {
  it("labels its containers and leaves no container, volume, process or temp dir behind after stop", async () => {
    const volumesBefore = await danglingVolumes();
    const cluster = await startTestCluster(true, new TestcontainersProvider());
    const { containers, pids, paths } = cluster.resources;
    expect(containers).toHaveLength(2);
    expect(pids).toHaveLength(2);
    for (const p of paths) expect(existsSync(p)).toBe(true);
    for (const pid of pids) expect(alive(pid)).toBe(true);

    const d = await docker();
    const inspected = await Promise.all(containers.map((id) => d.getContainer(id).inspect()));
    expect(inspected.map((i) => i.Config.Image)).toEqual([etcdImage(), apiserverImage(TEST_KUBE_VERSION)]);
    for (const i of inspected) {
      expect(i.State.Running).toBe(true);
      expect(i.HostConfig.NetworkMode).toBe("host");
      expect(i.Config.Labels).toMatchObject({ "org.testcontainers": "true", [LABEL_OWNER_PID]: String(process.pid) });
    }
    const runId = inspected[0]?.Config.Labels[LABEL_RUN];
    expect(runId).toBeTruthy();
    expect(inspected.map((i) => i.Config.Labels[LABEL_COMPONENT])).toEqual(["etcd", "kube-apiserver"]);
    // The work dir is mounted at the same path, so the audit log the server writes is the one we read.
    expect(existsSync(cluster.audit?.path ?? "")).toBe(true);

    await cluster.stop();
    expectReleased(cluster.resources);
    for (const id of containers) {
      await expect(d.getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    }
    expect(await d.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })).toEqual([]);
    expect(await danglingVolumes()).toEqual(volumesBefore);
    expect(pendingCleanups().filter((n) => containers.some((id) => n.includes(id.slice(0, 12))))).toEqual([]);
  });

  it("removes containers a dead impfuzz left behind, and keeps those of live ones", async () => {
    // A pid that certainly belonged to a process that has exited.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(dead.stdout);
    expect(alive(deadPid)).toBe(false);
    const d = await docker();
    const create = (labels: Record<string, string>, dir: string) =>
      d.createContainer({
        Image: etcdImage(),
        Entrypoint: ["/usr/local/bin/etcd"],
        Cmd: ["--version"],
        Labels: { "org.testcontainers": "true", ...labels },
        HostConfig: { Binds: [`${dir}:${dir}`] },
      });
    // The work dirs the two runs mounted; the dead run's goes with its container, the live run's stays.
    const deadDir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}cluster-`));
    const liveDir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}cluster-`));
    const orphan = await create(ownerLabels("crashed-run", "etcd", { ...currentOwner(), pid: deadPid }), deadDir);
    const live = await create(ownerLabels("live-run", "etcd"), liveDir);
    try {
      const removed: RemovedOrphan[] = [];
      const cluster = await new TestcontainersProvider({ onOrphansRemoved: (r) => removed.push(...r) }).start({ version: TEST_KUBE_VERSION, gate: true });
      await cluster.stop();
      expect(removed.find((r) => r.id === orphan.id)).toMatchObject({ component: "etcd", ownerPid: String(deadPid), dirs: [deadDir] });
      await expect(orphan.inspect()).rejects.toMatchObject({ statusCode: 404 });
      expect(existsSync(deadDir)).toBe(false);
      expect((await live.inspect()).Id).toBe(live.id);
      expect(existsSync(liveDir)).toBe(true);
    } finally {
      await orphan.remove({ force: true }).catch(() => {});
      await live.remove({ force: true }).catch(() => {});
      rmSync(deadDir, { recursive: true, force: true });
      rmSync(liveDir, { recursive: true, force: true });
    }
  });
});
