import { access, constants } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { BinaryNotFoundError } from "../core/index.ts";
import { binaryDir } from "./cache-dir.ts";

export interface KubeBinaries {
  readonly kubeApiserver: string;
  readonly etcd: string;
  /** Where they were found, for messages: `TEST_ASSET_*`, `KUBEBUILDER_ASSETS`, or `cache`. */
  readonly source: "TEST_ASSET_*" | "KUBEBUILDER_ASSETS" | "cache";
  /** `v1.37.2` as the binary reports it. */
  readonly apiserverVersion: string;
}

/** Whether `path` is a file this process may execute. */
export async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `Kubernetes v1.37.2` → `v1.37.2`. */
export async function apiserverVersionOf(path: string): Promise<string> {
  const r = await execa(path, ["--version"], { reject: false });
  const m = /Kubernetes (v\S+)/.exec(r.stdout);
  if (!m) throw new BinaryNotFoundError(`${path} does not answer --version like kube-apiserver: replace it or unset the variable that points at it`);
  return m[1] as string;
}

/**
 * envtest's lookup order (controller-runtime's bin_path_finder): per-binary `TEST_ASSET_<NAME>`, then
 * `KUBEBUILDER_ASSETS/<name>`, then our own cache of built binaries. A variable that is set but points
 * at nothing usable is an error, not a silent fall-through: the user asked for those binaries.
 */
export async function findBinaries(version: string, env: NodeJS.ProcessEnv = process.env): Promise<KubeBinaries | undefined> {
  const viaAssets = env.TEST_ASSET_KUBE_APISERVER || env.TEST_ASSET_ETCD;
  if (viaAssets) {
    const kubeApiserver = env.TEST_ASSET_KUBE_APISERVER ?? "";
    const etcd = env.TEST_ASSET_ETCD ?? "";
    for (const [name, path] of [["TEST_ASSET_KUBE_APISERVER", kubeApiserver], ["TEST_ASSET_ETCD", etcd]] as const) {
      if (!path || !(await executable(path))) {
        throw new BinaryNotFoundError(`${name}=${path || "(unset)"} is not an executable file: set both TEST_ASSET_KUBE_APISERVER and TEST_ASSET_ETCD, or unset them to build binaries`);
      }
    }
    return { kubeApiserver, etcd, source: "TEST_ASSET_*", apiserverVersion: await apiserverVersionOf(kubeApiserver) };
  }
  if (env.KUBEBUILDER_ASSETS) {
    const kubeApiserver = join(env.KUBEBUILDER_ASSETS, "kube-apiserver");
    const etcd = join(env.KUBEBUILDER_ASSETS, "etcd");
    for (const path of [kubeApiserver, etcd]) {
      if (!(await executable(path))) {
        throw new BinaryNotFoundError(`KUBEBUILDER_ASSETS=${env.KUBEBUILDER_ASSETS} has no executable ${path}: fix the directory or unset KUBEBUILDER_ASSETS to build binaries`);
      }
    }
    return { kubeApiserver, etcd, source: "KUBEBUILDER_ASSETS", apiserverVersion: await apiserverVersionOf(kubeApiserver) };
  }
  const dir = binaryDir(version, env);
  const kubeApiserver = join(dir, "kube-apiserver");
  const etcd = join(dir, "etcd");
  if ((await executable(kubeApiserver)) && (await executable(etcd))) {
    return { kubeApiserver, etcd, source: "cache", apiserverVersion: `v${version}` };
  }
  return undefined;
}
