import { execa } from "execa";
import { BinaryNotFoundError } from "../core/index.ts";

/** `go1.26.8` → [1, 26, 8]; devel/unknown builds compare as new enough. */
export function parseGoVersion(raw: string): number[] {
  const m = /go(\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  if (!m) return [Number.MAX_SAFE_INTEGER];
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function goVersionAtLeast(have: string, need: string): boolean {
  const a = parseGoVersion(have);
  const b = parseGoVersion(`go${need}`);
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

export async function goVersion(): Promise<string> {
  try {
    const { stdout } = await execa("go", ["env", "GOVERSION"]);
    return stdout.trim();
  } catch (e) {
    throw new BinaryNotFoundError(
      "Go is not on PATH: install Go ≥ 1.25 to build kube-apiserver/etcd, or point KUBEBUILDER_ASSETS (or TEST_ASSET_KUBE_APISERVER and TEST_ASSET_ETCD) at prebuilt binaries",
      e,
    );
  }
}
