import type { KubeVersion, UserInfo } from "../core/index.ts";
import type { RecordingAuthorizer } from "../webhooks/index.ts";
import type { ApiClient } from "./api-client.ts";
import type { AuditLogReader } from "./audit-log.ts";

export interface ClusterSpec {
  readonly version: KubeVersion;
  /** Whether the user named the version (then binaries found via envtest variables must match). */
  readonly versionExplicit?: boolean;
  /** ConstrainedImpersonation on (true) or off (the legacy filter: a supported control configuration). */
  readonly gate: boolean;
}

/**
 * What a started cluster can show. An existing cluster has no recorder or audit access, so the
 * comparison skips ordered checks there and the report says so, rather than pretending.
 */
export interface ClusterCapabilities {
  readonly orderedChecks: boolean;
  readonly auditEvents: boolean;
  /** The token webhook can mint any identity; otherwise only real service-account tokens exist. */
  readonly arbitraryRequestors: boolean;
}

export interface StartedCluster {
  readonly provider: string;
  readonly spec: ClusterSpec;
  /** `gitVersion` the server reports at /version. */
  readonly serverVersion: string;
  readonly capabilities: ClusterCapabilities;
  /** Raw HTTPS client to the apiserver (probes, admin calls). */
  readonly api: ApiClient;
  readonly adminToken: string;
  /** A kubeconfig file for the admin (system:masters), for kubectl and @kubernetes/client-node. */
  readonly adminKubeconfigPath: string;
  readonly recorder: RecordingAuthorizer | undefined;
  readonly audit: AuditLogReader | undefined;
  /** What this cluster holds on the machine (pids, paths, container ids), to prove stop() released it. */
  readonly resources: ClusterResources;
  /** A fresh bearer token for exactly this identity (never reused: the server caches token reviews). */
  mintToken(identity: UserInfo): string;
  /** A loopback URL that mints tokens for JSON identities (for people at a shell), when the provider has one. */
  readonly mintEndpoint: string | undefined;
  stop(): Promise<void>;
}

export interface ClusterResources {
  readonly pids: readonly number[];
  readonly paths: readonly string[];
  readonly containers: readonly string[];
}

export interface ClusterProvider {
  readonly name: string;
  /**
   * Checks what start() needs from the machine (a container engine, images) before a command writes
   * or starts anything, throwing a one-line ProviderStartError naming the fix. start() checks again.
   */
  preflight?(spec: Pick<ClusterSpec, "version">): Promise<unknown>;
  start(spec: ClusterSpec, signal?: AbortSignal): Promise<StartedCluster>;
}
