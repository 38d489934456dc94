import { Flags } from "./flags.ts";
import type { HarnessFiles } from "./harness-files.ts";

export interface ApiserverFlagInputs {
  readonly files: HarnessFiles;
  readonly etcdUrl: string;
  readonly bindAddress: string;
  readonly securePort: number;
  readonly certDir: string;
  readonly auditLogPath: string;
  readonly gate: boolean;
}

export const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

export interface HarnessFlagInputs {
  readonly files: HarnessFiles;
  readonly auditLogPath: string;
  readonly gate: boolean;
}

/**
 * The flags that make a kube-apiserver an impfuzz cluster, whoever launches it (the local and
 * testcontainers providers on the command line, kind through kubeadm's extraArgs). Choices beyond the
 * obvious:
 * - `--authorization-config` replaces `--authorization-mode` (they are mutually exclusive; kubeadm
 *   drops its own `--authorization-mode` when it sees this one).
 * - token webhook cache TTL 0 (our webhook is authoritative; a union-level 10 s cache stays anyway).
 * - no priority-and-fairness: the fuzzer sends bursts from thousands of distinct users, and APF's
 *   queuing would add latency and 429s that have nothing to do with impersonation.
 * - ServiceAccount admission off (as envtest): the local providers run no controller-manager to create
 *   `default` service accounts, and with kind a namespace created a moment ago may not have one yet;
 *   either way dry-run pod creations would fail for reasons that have nothing to do with the filter.
 */
export function harnessApiserverFlags(i: HarnessFlagInputs): Flags {
  return new Flags({
    "token-auth-file": i.files.tokenAuthFile,
    "authentication-token-webhook-config-file": i.files.authnWebhookKubeconfig,
    "authentication-token-webhook-version": "v1",
    "authentication-token-webhook-cache-ttl": "0s",
    "authorization-config": i.files.authorizationConfig,
    "feature-gates": `ConstrainedImpersonation=${i.gate}`,
    "audit-policy-file": i.files.auditPolicy,
    "audit-log-path": i.auditLogPath,
    "audit-log-maxsize": "0",
    "enable-priority-and-fairness": "false",
    "disable-admission-plugins": "ServiceAccount",
  });
}

/**
 * kube-apiserver's full command line for the providers that run the binary themselves (local
 * processes, containers): the harness flags plus serving, storage and service-account signing.
 */
export function apiserverFlags(i: ApiserverFlagInputs): Flags {
  const flags = new Flags({
    "etcd-servers": i.etcdUrl,
    "bind-address": i.bindAddress,
    "advertise-address": i.bindAddress,
    "secure-port": String(i.securePort),
    "cert-dir": i.certDir,
    "service-cluster-ip-range": "10.0.0.0/24",
    "service-account-issuer": SERVICE_ACCOUNT_ISSUER,
    "service-account-signing-key-file": i.files.serviceAccountKey,
    "service-account-key-file": i.files.serviceAccountKey,
  });
  for (const [name, values] of harnessApiserverFlags(i).entries()) flags.set(name, values);
  return flags
    .set("endpoint-reconciler-type", "none")
    .set("allow-privileged", "true")
    .set("profiling", "false")
    .set("v", "1");
}

export function etcdFlags(dataDir: string, clientPort: number, peerPort: number, host = "127.0.0.1"): Flags {
  return new Flags({
    name: "impfuzz",
    "data-dir": dataDir,
    "listen-client-urls": `http://${host}:${clientPort}`,
    "advertise-client-urls": `http://${host}:${clientPort}`,
    "listen-peer-urls": `http://${host}:${peerPort}`,
    "initial-advertise-peer-urls": `http://${host}:${peerPort}`,
    "initial-cluster": `impfuzz=http://${host}:${peerPort}`,
    // Durability is worthless for a throwaway test store; fsync on each write costs seconds per run.
    "unsafe-no-fsync": "true",
    "log-level": "warn",
  });
}
