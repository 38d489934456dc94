import { createHash } from "node:crypto";
import { rm, truncate, readdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { BuildError } from "../../../core/index.ts";
import { makeTempDir } from "../../local/process/temp-dir.ts";
import { inspectImage } from "./docker-image.ts";

/**
 * The node image's operating system: Debian bookworm (what these machines run, so its mirror is the
 * one apt already reaches) made with `debootstrap --variant=minbase`, imported into Docker once.
 * kind's own base image is built from a registry image and cannot be made offline.
 *
 * Packages: systemd as PID 1 (kind waits for it to reach multi-user.target), containerd and runc for
 * kubelet's pods, the CNI plugins for a static pod network, and what kubelet and kubeadm call
 * (iptables, iproute2, conntrack, socat, ethtool, mount, kmod, procps).
 */
export const BASE_SUITE = "bookworm";
export const BASE_PACKAGES = [
  "systemd",
  "systemd-sysv",
  "dbus",
  "containerd",
  "runc",
  "containernetworking-plugins",
  "iptables",
  "iproute2",
  "conntrack",
  "socat",
  "ethtool",
  "util-linux",
  "mount",
  "kmod",
  "procps",
  "ca-certificates",
  "libseccomp2",
] as const;

/** Bump when the steps below change what the base contains. */
const BASE_RECIPE_REVISION = 1;

export function debianMirror(env: NodeJS.ProcessEnv = process.env): string {
  return env.IMPFUZZ_DEBIAN_MIRROR ?? "http://deb.debian.org/debian";
}

/** The tag names the recipe, so a changed package list is a new image and an unchanged one is reused. */
export function baseImageTag(env: NodeJS.ProcessEnv = process.env): string {
  const h = createHash("sha256")
    .update(JSON.stringify({ suite: BASE_SUITE, packages: BASE_PACKAGES, mirror: debianMirror(env), revision: BASE_RECIPE_REVISION }))
    .digest("hex");
  return `impfuzz/kind-base:${BASE_SUITE}-${h.slice(0, 12)}`;
}

export interface BaseImage {
  readonly image: string;
  readonly seconds: number;
  readonly reused: boolean;
}

export async function ensureBaseImage(opts: { force?: boolean; signal?: AbortSignal; onStep?: (step: string) => void } = {}): Promise<BaseImage> {
  const image = baseImageTag();
  if (!opts.force && (await inspectImage(image))) return { image, seconds: 0, reused: true };
  if (process.getuid?.() !== 0) {
    throw new BuildError(`building the kind node image's base (${image}) runs debootstrap, which needs root: run \`impfuzz kube node-image\` as root once`);
  }
  const which = await execa("debootstrap", ["--version"], { reject: false });
  if (which.failed) throw new BuildError("debootstrap is not installed: install Debian's debootstrap (apt-get install debootstrap) to build the kind node image offline");
  const t0 = performance.now();
  const root = makeTempDir("kind-base");
  try {
    opts.onStep?.(`debootstrap ${BASE_SUITE} (minbase + ${BASE_PACKAGES.length} packages) from ${debianMirror()}`);
    const boot = await execa(
      "debootstrap",
      ["--variant=minbase", `--include=${BASE_PACKAGES.join(",")}`, BASE_SUITE, root.path, debianMirror()],
      { reject: false, all: true, cancelSignal: opts.signal },
    );
    if (boot.failed) {
      const tail = String(boot.all ?? "").split("\n").slice(-4).join(" | ");
      throw new BuildError(`debootstrap of ${BASE_SUITE} from ${debianMirror()} failed (set IMPFUZZ_DEBIAN_MIRROR to a reachable mirror): ${tail}`);
    }
    await trimRootfs(root.path);
    opts.onStep?.(`importing the root file system as ${image}`);
    // buffer: false, or execa would also collect the 450 MB stream and kill tar at its maxBuffer.
    const imported = await execa("tar", ["-C", root.path, "--numeric-owner", "-c", "."], { cancelSignal: opts.signal, reject: false, buffer: false })
      .pipe("docker", ["import", "--message", `impfuzz kind base: debootstrap ${BASE_SUITE}`, "-", image], { reject: false });
    if (imported.failed) throw new BuildError(`docker import of the kind base image failed: ${String(imported.stderr).trim()}`);
  } finally {
    await root.remove();
  }
  return { image, seconds: (performance.now() - t0) / 1000, reused: false };
}

/**
 * What debootstrap leaves that no node should carry: the downloaded packages and indexes (a third of
 * the size) and this machine's machine-id (every node would share it; systemd writes a fresh one when
 * the file is empty).
 */
async function trimRootfs(root: string): Promise<void> {
  for (const dir of ["var/cache/apt/archives", "var/lib/apt/lists"]) {
    for (const entry of await readdir(join(root, dir)).catch(() => [])) {
      if (entry === "partial" || entry === "lock") continue;
      await rm(join(root, dir, entry), { recursive: true, force: true });
    }
  }
  await truncate(join(root, "etc/machine-id"), 0).catch(() => {});
  await rm(join(root, "var/lib/dbus/machine-id"), { force: true });
}
