import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { AbstractStartedContainer, GenericContainer, getContainerRuntimeClient, ImageName, type StartedTestContainer, Wait } from "testcontainers";
import type { KubeVersion } from "../../core/index.ts";
import { DEFAULT_KUBE_VERSION } from "../../core/index.ts";
import { apiserverFlags } from "../apiserver-flags.ts";
import type { HarnessFiles } from "../harness-files.ts";
import { httpsStatus } from "../local/controlplane/https-probe.ts";
import { ContainerLifecycle } from "./container-lifecycle.ts";
import { apiserverImage, BINARY_PATH } from "./images.ts";

/**
 * kube-apiserver in a container on the host network, with exactly the flags the local provider gives
 * the binary (apiserver-flags.ts). The work dir (harness files, cert dir, audit log) is mounted at the
 * same absolute path inside and out, so every path in the flags means the same file on both sides, and
 * the webhooks this process serves on 127.0.0.1 are reachable because the network is the host's.
 *
 * Ready in two steps: the log line "Serving securely on" (testcontainers' wait), then, as the local
 * provider and envtest do, `/readyz` 200 and the `default` namespace readable.
 */
export class ApiserverContainer extends GenericContainer {
  private version: KubeVersion = DEFAULT_KUBE_VERSION;
  private gate = true;
  private etcdUrl = "";
  private files: HarnessFiles | undefined;
  private workDir = "";
  private securePort = 0;
  private readyTimeoutMs = 120_000;
  private readonly lifecycle = new ContainerLifecycle("kube-apiserver");

  constructor(image: string = apiserverImage(DEFAULT_KUBE_VERSION)) {
    super(image);
    this.withNetworkMode("host")
      .withEntrypoint([BINARY_PATH["kube-apiserver"]])
      .withWaitStrategy(Wait.forLogMessage(/Serving securely on/))
      .withStartupTimeout(120_000);
    // The cert dir and audit log it writes belong to whoever runs impfuzz, so the harness can read them.
    if (process.getuid && process.getgid) this.withUser(`${process.getuid()}:${process.getgid()}`);
  }

  /** The official image of this Kubernetes version (`registry.k8s.io/kube-apiserver:v<version>`). */
  withVersion(version: KubeVersion): this {
    this.version = version;
    this.imageName = ImageName.fromString(apiserverImage(version));
    this.createOpts.Image = this.imageName.string;
    return this;
  }

  /** `--feature-gates=ConstrainedImpersonation=<on>`. */
  withConstrainedImpersonation(on: boolean): this {
    this.gate = on;
    return this;
  }

  withEtcd(url: string): this {
    if (!/^https?:\/\//.test(url)) throw new Error(`etcd url must be http(s)://host:port, got "${url}"`);
    this.etcdUrl = url;
    return this;
  }

  /** The harness files, all inside `workDir`, which is mounted at the same path. */
  withHarnessFiles(workDir: string, files: HarnessFiles): this {
    if (!workDir.startsWith("/")) throw new Error(`work dir must be an absolute path, got "${workDir}"`);
    for (const p of [files.authorizationConfig, files.authnWebhookKubeconfig, files.auditPolicy, files.tokenAuthFile, files.serviceAccountKey]) {
      if (!p.startsWith(`${workDir}/`)) throw new Error(`harness file ${p} is outside the mounted work dir ${workDir}`);
    }
    this.workDir = workDir;
    this.files = files;
    return this;
  }

  withSecurePort(port: number): this {
    if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw new Error(`secure port must be 1..65535, got ${port}`);
    this.securePort = port;
    return this;
  }

  withReadyTimeout(ms: number): this {
    this.readyTimeoutMs = ms;
    return this;
  }

  /** Copies the container's output to this host file, for diagnosis after the fact. */
  withLogFile(path: string): this {
    this.withLogConsumer(this.lifecycle.logConsumer(path));
    return this;
  }

  private get certDir(): string {
    return join(this.workDir, "pki");
  }

  private get auditLogPath(): string {
    return join(this.workDir, "audit.log");
  }

  protected override async beforeContainerCreated(): Promise<void> {
    if (!this.files || !this.etcdUrl || !this.securePort) {
      throw new Error("ApiserverContainer needs withHarnessFiles(), withEtcd() and withSecurePort() before start()");
    }
    const flags = apiserverFlags({
      files: this.files,
      etcdUrl: this.etcdUrl,
      bindAddress: "127.0.0.1",
      securePort: this.securePort,
      certDir: this.certDir,
      auditLogPath: this.auditLogPath,
      gate: this.gate,
    });
    this.withCommand(flags.render()).withBindMounts([{ source: this.workDir, target: this.workDir, mode: "rw" }]);
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.lifecycle.created(containerId);
  }

  override async start(): Promise<StartedApiserverContainer> {
    let started: StartedTestContainer;
    try {
      started = await super.start();
    } catch (e) {
      throw await this.lifecycle.failed(e);
    }
    const url = `https://127.0.0.1:${this.securePort}`;
    let caPem: string;
    try {
      caPem = await this.waitUntilUsable(started, url);
    } catch (e) {
      throw await this.lifecycle.failed(e);
    }
    return new StartedApiserverContainer(started, this.version, url, caPem, this.auditLogPath, this.lifecycle);
  }

  /** `/readyz` 200 (post-start hooks, bootstrap RBAC included), then the `default` namespace; returns the CA. */
  private async waitUntilUsable(started: StartedTestContainer, url: string): Promise<string> {
    const token = (this.files as HarnessFiles).adminToken;
    const crt = join(this.certDir, "apiserver.crt");
    const deadline = Date.now() + this.readyTimeoutMs;
    const container = (await getContainerRuntimeClient()).container.dockerode.getContainer(started.getId());
    let caPem = "";
    while (Date.now() < deadline) {
      if (!caPem && existsSync(crt)) caPem = readFileSync(crt, "utf8");
      if (caPem) {
        const ready = await httpsStatus(`${url}/readyz`, caPem, token);
        // Status 0 is a connection or TLS failure: the bundle may have been read while being written.
        if (ready.status === 0) caPem = "";
        if (ready.status === 200 && (await httpsStatus(`${url}/api/v1/namespaces/default`, caPem, token)).status === 200) return caPem;
      }
      const state = (await container.inspect()).State;
      if (!state.Running) throw new Error(`exited (code ${state.ExitCode}) before it was ready`);
      await sleep(100);
    }
    throw new Error(`was not ready within ${this.readyTimeoutMs / 1000}s`);
  }
}

export class StartedApiserverContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly version: KubeVersion,
    private readonly url: string,
    private readonly caPem: string,
    private readonly auditLogPath: string,
    private readonly lifecycle: ContainerLifecycle,
  ) {
    super(started);
  }

  getVersion(): KubeVersion {
    return this.version;
  }

  /** `https://127.0.0.1:<secure port>` */
  getUrl(): string {
    return this.url;
  }

  /** The PEM bundle the server wrote into its cert dir (self-signed serving cert and its CA). */
  getCaPem(): string {
    return this.caPem;
  }

  /** The audit log on the host (the same path the server writes inside the container). */
  getAuditLogPath(): string {
    return this.auditLogPath;
  }

  protected override async containerStopped(): Promise<void> {
    await this.lifecycle.stopped();
  }
}
