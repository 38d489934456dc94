import { createHash } from "node:crypto";
import { chmod, copyFile, cp, link, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { BuildError, type KubeVersion } from "../../../core/index.ts";
import { type BuildProgress, type BuiltBinary, ensureNodeBinaries, type NodeBinaries } from "../../../kube/index.ts";
import { makeTempDir } from "../../local/process/temp-dir.ts";
import { buildScratchImage, type BuiltImage, sha256File } from "../../testcontainers/build-images.ts";
import { connectDocker } from "../../testcontainers/docker-engine.ts";
import { ensureBaseImage } from "./base-image.ts";
import { inspectImage } from "./docker-image.ts";
import { ENABLED_UNITS, MASKED_UNITS, renderedNodeFiles } from "./node-config.ts";
import { ETCD_TAG, LABEL_NODE_ETCD_TAG, LABEL_NODE_INPUTS, LABEL_NODE_KUBE_VERSION, localNodeImage, pauseTag, REGISTRY } from "./pins.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const STATIC_ROOTFS = join(HERE, "rootfs");
const NODE_DOCKERFILE = join(HERE, "node.Dockerfile");
const PAUSE_DOCKERFILE = join(HERE, "pause.Dockerfile");

/** Bump when the assembly below changes in a way the input hash cannot see. */
const NODE_RECIPE_REVISION = 1;

export interface NodeImageOptions {
  readonly version: KubeVersion;
  /** Rebuild the node image (and the component images) even when the inputs are unchanged. */
  readonly force?: boolean;
  /** Also re-run debootstrap for the base. */
  readonly forceBase?: boolean;
  readonly onBuildProgress?: (p: BuildProgress) => void;
  readonly onStep?: (step: string) => void;
  readonly signal?: AbortSignal;
}

export interface BuiltNodeImage {
  readonly image: string;
  readonly id: string;
  readonly bytes: number;
  readonly seconds: number;
  readonly reused: boolean;
  readonly base: { readonly image: string; readonly seconds: number; readonly reused: boolean };
  readonly components: readonly BuiltImage[];
  /** Binaries this call had to build (none when all were cached). */
  readonly binaries: readonly BuiltBinary[];
}

/** The programs in the node's own file system (the control plane runs from images). */
const NODE_PROGRAMS = ["kubelet", "kubeadm", "kubectl"] as const;

/**
 * `impfuzz kube node-image`: a kind node image of this version built without any registry:
 *   base OS (debootstrap, cached as its own image)
 *   + kubelet, kubeadm, kubectl in /usr/bin
 *   + the control-plane images (kube-apiserver, -controller-manager, -scheduler, etcd, pause: FROM
 *     scratch from the Go-built binaries, official names) saved into /kind/images, imported into the
 *     node's containerd at boot
 *   + impfuzz's entrypoint, systemd units, containerd and CNI configs (rootfs/, node-config.ts).
 * Named `kindest/node:v<version>-impfuzz`. Every input's content goes into a hash kept as a label,
 * so an unchanged image is reused and a changed binary or file rebuilds it.
 */
export async function buildNodeImage(opts: NodeImageOptions): Promise<BuiltNodeImage> {
  const t0 = performance.now();
  const step = opts.onStep ?? (() => {});
  const image = localNodeImage(opts.version);
  const client = await connectDocker();
  const binaries = await ensureNodeBinaries({
    version: opts.version,
    pauseTag: pauseTag(opts.version),
    onProgress: opts.onBuildProgress,
    signal: opts.signal,
  });
  const base = await ensureBaseImage({ force: opts.forceBase, signal: opts.signal, onStep: step });
  opts.signal?.throwIfAborted();
  step("control-plane images (FROM scratch)");
  const components = await buildComponentImages(client, opts.version, binaries, !!opts.force);
  const rendered = renderedNodeFiles(opts.version);
  const inputs = await inputsHash(base.image, components, binaries, rendered);
  const existing = await inspectImage(image);
  if (!opts.force && existing?.labels[LABEL_NODE_INPUTS] === inputs) {
    return { image, id: existing.id, bytes: existing.bytes, seconds: 0, reused: true, base, components, binaries: binaries.built };
  }
  opts.signal?.throwIfAborted();
  const context = makeTempDir("node-image");
  try {
    const rootfs = join(context.path, "rootfs");
    await cp(STATIC_ROOTFS, rootfs, { recursive: true, verbatimSymlinks: true });
    for (const f of rendered) {
      await mkdir(dirname(join(rootfs, f.path)), { recursive: true });
      await writeFile(join(rootfs, f.path), f.content, { mode: f.mode });
    }
    await linkUnits(rootfs);
    await mkdir(join(rootfs, "usr/bin"), { recursive: true });
    for (const p of NODE_PROGRAMS) await hardlinkOrCopy(binaries[p], join(rootfs, "usr/bin", p));
    step(`saving ${components.length} images into /kind/images`);
    await mkdir(join(rootfs, "kind/images"), { recursive: true });
    const saved = await execa("docker", ["save", "-o", join(rootfs, "kind/images/control-plane.tar"), ...components.map((c) => c.image)], {
      reject: false,
      cancelSignal: opts.signal,
    });
    if (saved.failed) throw new BuildError(`docker save of the control-plane images failed: ${String(saved.stderr).trim()}`);
    await copyFile(NODE_DOCKERFILE, join(context.path, "Dockerfile"));
    step(`docker build ${image}`);
    const built = await execa(
      "docker",
      [
        "build",
        "--tag", image,
        "--build-arg", `BASE_IMAGE=${base.image}`,
        "--label", `${LABEL_NODE_INPUTS}=${inputs}`,
        "--label", `${LABEL_NODE_ETCD_TAG}=${ETCD_TAG}`,
        "--label", `${LABEL_NODE_KUBE_VERSION}=${opts.version}`,
        context.path,
      ],
      // The legacy builder: BuildKit would want to pull its Dockerfile frontend.
      { reject: false, all: true, cancelSignal: opts.signal, env: { DOCKER_BUILDKIT: "0" } },
    );
    if (built.failed) {
      throw new BuildError(`docker build of ${image} failed: ${String(built.all ?? "").split("\n").slice(-5).join(" | ")}`);
    }
  } finally {
    await context.remove();
  }
  const after = await inspectImage(image);
  if (after?.labels[LABEL_NODE_INPUTS] !== inputs) throw new BuildError(`docker build of ${image} reported success but the image does not carry the new inputs`);
  // The image this tag named before is now dangling; drop it unless a container still uses it.
  if (existing && existing.id !== after.id) await execa("docker", ["image", "rm", existing.id], { reject: false });
  return { image, id: after.id, bytes: after.bytes, seconds: (performance.now() - t0) / 1000, reused: false, base, components, binaries: binaries.built };
}

async function buildComponentImages(
  client: Awaited<ReturnType<typeof connectDocker>>,
  version: KubeVersion,
  binaries: NodeBinaries,
  force: boolean,
): Promise<BuiltImage[]> {
  const specs = [
    { component: "kube-apiserver", image: `${REGISTRY}/kube-apiserver:v${version}`, binary: binaries["kube-apiserver"] },
    { component: "kube-controller-manager", image: `${REGISTRY}/kube-controller-manager:v${version}`, binary: binaries["kube-controller-manager"] },
    { component: "kube-scheduler", image: `${REGISTRY}/kube-scheduler:v${version}`, binary: binaries["kube-scheduler"] },
    { component: "etcd", image: `${REGISTRY}/etcd:${ETCD_TAG}`, binary: binaries.etcd },
    { component: "pause", image: `${REGISTRY}/pause:${pauseTag(version)}`, binary: binaries.pause, dockerfile: PAUSE_DOCKERFILE },
  ];
  const out: BuiltImage[] = [];
  for (const s of specs) out.push(await buildScratchImage(client, { ...s, force }));
  return out;
}

/** `multi-user.target.wants/` links for the enabled units, /dev/null links for the masked ones. */
async function linkUnits(rootfs: string): Promise<void> {
  const units = join(rootfs, "etc/systemd/system");
  await mkdir(join(units, "multi-user.target.wants"), { recursive: true });
  for (const u of ENABLED_UNITS) await symlink(`../${u}`, join(units, "multi-user.target.wants", u));
  for (const u of MASKED_UNITS) await symlink("/dev/null", join(units, u));
}

async function hardlinkOrCopy(from: string, to: string): Promise<void> {
  await link(from, to).catch(() => copyFile(from, to));
  await chmod(to, 0o755);
}

/** Everything the image is made of, by content: a change anywhere means a rebuild. */
async function inputsHash(
  baseImage: string,
  components: readonly BuiltImage[],
  binaries: NodeBinaries,
  rendered: ReturnType<typeof renderedNodeFiles>,
): Promise<string> {
  const h = createHash("sha256");
  h.update(`revision ${NODE_RECIPE_REVISION}\nbase ${baseImage}\n`);
  for (const c of components) h.update(`image ${c.image} ${c.id}\n`);
  for (const p of NODE_PROGRAMS) h.update(`binary ${p} ${await sha256File(binaries[p])}\n`);
  for (const f of rendered) h.update(`rendered ${f.path} ${f.mode} ${f.content}\n`);
  h.update(`enabled ${ENABLED_UNITS.join(",")} masked ${MASKED_UNITS.join(",")}\n`);
  for (const file of await listFiles(STATIC_ROOTFS)) {
    const st = await stat(file);
    h.update(`static ${relative(STATIC_ROOTFS, file)} ${st.mode & 0o777} `);
    h.update(await readFile(file));
    h.update("\n");
  }
  h.update(await readFile(NODE_DOCKERFILE));
  return h.digest("hex");
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}
