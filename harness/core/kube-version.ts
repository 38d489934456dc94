import { UsageError } from "./errors.ts";

/** Kubernetes versions impfuzz builds and models; the last is the default. */
export const SUPPORTED_KUBE_VERSIONS = ["1.35.4", "1.36.3", "1.37.2"] as const;
export type KubeVersion = (typeof SUPPORTED_KUBE_VERSIONS)[number];
export const DEFAULT_KUBE_VERSION: KubeVersion = "1.37.2";

export function parseKubeVersion(raw: string): KubeVersion {
  const v = raw.replace(/^v/, "");
  if ((SUPPORTED_KUBE_VERSIONS as readonly string[]).includes(v)) return v as KubeVersion;
  throw new UsageError(
    `unknown Kubernetes version "${raw}": use one of ${SUPPORTED_KUBE_VERSIONS.join(", ")} (--kube-version)`,
  );
}

export function minorOf(v: KubeVersion): number {
  return Number(v.split(".")[1]);
}
