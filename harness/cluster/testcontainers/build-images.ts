import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, link, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContainerRuntimeClient } from "testcontainers";
import { BuildError, type KubeVersion } from "../../core/index.ts";
import { type BuildProgress, ensureBinaries } from "../../kube/index.ts";
import { connectDocker } from "./docker-engine.ts";
import { type Component, COMPONENTS, imageFor, SCRATCH_DOCKERFILE } from "./images.ts";

export interface BuiltImage {
  /** The binary's name inside the image (`kube-apiserver`, `etcd`, `pause`, ...). */
  readonly component: string;
  readonly image: string;
  readonly id: string;
  readonly bytes: number;
  /** 0 when an image built from the same binary was already there (`reused`). */
  readonly seconds: number;
  readonly reused: boolean;
}

export interface BuildImagesOptions {
  readonly version: KubeVersion;
  readonly versionExplicit?: boolean;
  /** Rebuild even when the image was built from the same binary. */
  readonly force?: boolean;
  readonly onBuildProgress?: (p: BuildProgress) => void;
  readonly onWaitForBuildLock?: (pid: number) => void;
  readonly signal?: AbortSignal;
}

/** Which binary (by content) an image was built from; an unchanged binary means nothing to rebuild. */
const LABEL_BINARY_SHA256 = "dev.impfuzz.binary-sha256";

/**
 * `impfuzz kube images`: the two images the testcontainers provider runs, built on the local engine
 * from the Go-built static binaries (found or built like the local provider's), under the official
 * names and binary paths. For machines without a registry: testcontainers then finds them and never
 * pulls (its default policy pulls only what is missing).
 */
export async function buildImages(opts: BuildImagesOptions): Promise<BuiltImage[]> {
  const client = await connectDocker();
  const binaries = await ensureBinaries({
    version: opts.version,
    versionExplicit: opts.versionExplicit,
    onProgress: opts.onBuildProgress,
    onWaitForLock: opts.onWaitForBuildLock,
    signal: opts.signal,
  });
  const out: BuiltImage[] = [];
  for (const component of COMPONENTS) {
    opts.signal?.throwIfAborted();
    const binary = component === "etcd" ? binaries.etcd : binaries.kubeApiserver;
    out.push(await buildScratchImage(client, { component, image: imageFor(component, opts.version), binary, force: !!opts.force }));
  }
  return out;
}

export interface ScratchImageSpec {
  /** The binary's name inside the image and in the build context. */
  readonly component: string;
  readonly image: string;
  readonly binary: string;
  readonly force: boolean;
  /** A FROM-scratch Dockerfile taking `ARG BINARY` (default: the binary at /usr/local/bin, on PATH). */
  readonly dockerfile?: string;
}

/**
 * One FROM-scratch image holding one static binary, tagged with the official name; rebuilt only when
 * the binary changed (its sha256 is a label). Shared by the testcontainers images and kind node images.
 */
export async function buildScratchImage(client: ContainerRuntimeClient, spec: ScratchImageSpec): Promise<BuiltImage> {
  const { component, image, binary, force } = spec;
  const docker = client.container.dockerode;
  await assertStatic(binary);
  const sha = await sha256File(binary);
  const before = await docker.getImage(image).inspect().catch(() => undefined);
  if (!force && before?.Config?.Labels?.[LABEL_BINARY_SHA256] === sha) {
    return { component, image, id: before.Id, bytes: before.Size, seconds: 0, reused: true };
  }
  const t0 = performance.now();
  const context = await mkdtemp(join(tmpdir(), "impfuzz-image-"));
  try {
    // A hard link costs nothing for a 100 MB binary; another file system needs a copy.
    await link(binary, join(context, component)).catch(() => copyFile(binary, join(context, component)));
    await copyFile(spec.dockerfile ?? SCRATCH_DOCKERFILE, join(context, "Dockerfile"));
    const stream = await docker.buildImage(
      { context, src: ["Dockerfile", component] },
      { t: image, buildargs: { BINARY: component }, labels: { [LABEL_BINARY_SHA256]: sha }, rm: true, forcerm: true },
    );
    const events = await new Promise<{ error?: string; stream?: string }[]>((resolve, reject) => {
      docker.modem.followProgress(stream, (err, result) => (err ? reject(err) : resolve(result as { error?: string }[])));
    });
    const failed = events.find((e) => e.error);
    if (failed) throw new BuildError(`docker build of ${image} from ${binary} failed: ${String(failed.error).trim()}`);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  const after = await docker.getImage(image).inspect();
  if (after.Config?.Labels?.[LABEL_BINARY_SHA256] !== sha) throw new BuildError(`docker build of ${image} reported success but the image does not carry the new binary`);
  // The image this tag named before is now untagged; remove it unless something still uses it.
  if (before && before.Id !== after.Id) await docker.getImage(before.Id).remove().catch(() => {});
  return { component, image, id: after.Id, bytes: after.Size, seconds: (performance.now() - t0) / 1000, reused: false };
}

/** A file's sha256 in hex, streamed (binaries are 100 MB). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (c) => h.update(c))
      .on("end", () => resolve(h.digest("hex")))
      .on("error", reject);
  });
}

/**
 * A FROM-scratch image has no dynamic loader or libc: a dynamically linked binary would fail to start
 * with a bare "no such file or directory". Checks the ELF program headers for an interpreter (PT_INTERP).
 */
export async function assertStatic(path: string): Promise<void> {
  const f = await open(path, "r");
  try {
    const head = Buffer.alloc(64);
    await f.read(head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2 || head[5] !== 1) {
      throw new BuildError(`${path} is not a 64-bit little-endian ELF executable: a FROM-scratch image needs a static Linux binary`);
    }
    const phoff = Number(head.readBigUInt64LE(0x20));
    const phentsize = head.readUInt16LE(0x36);
    const phnum = head.readUInt16LE(0x38);
    const table = Buffer.alloc(phentsize * phnum);
    await f.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) {
      if (table.readUInt32LE(i * phentsize) === 3 /* PT_INTERP */) {
        throw new BuildError(`${path} is dynamically linked: a FROM-scratch image needs a static binary (build with CGO_ENABLED=0)`);
      }
    }
  } finally {
    await f.close();
  }
}
