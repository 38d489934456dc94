import { AbstractStartedContainer, GenericContainer, type StartedTestContainer, Wait } from "testcontainers";
import { etcdFlags } from "../apiserver-flags.ts";
import { ContainerLifecycle } from "./container-lifecycle.ts";
import { BINARY_PATH, etcdImage } from "./images.ts";

/**
 * etcd in a container on the host network, with the flags the local provider uses (apiserver-flags.ts)
 * and its data in a host directory mounted at the same path (tmpfs, from the caller). Ready when it
 * logs "ready to serve client requests": testcontainers' HTTP wait needs port bindings, and host
 * networking has none.
 */
export class EtcdContainer extends GenericContainer {
  private clientPort = 0;
  private peerPort = 0;
  private dataDir = "";
  private readonly lifecycle = new ContainerLifecycle("etcd");

  constructor(image: string = etcdImage()) {
    super(image);
    this.withNetworkMode("host")
      .withEntrypoint([BINARY_PATH.etcd])
      .withWaitStrategy(Wait.forLogMessage(/ready to serve client requests/))
      .withStartupTimeout(60_000);
    // Files etcd writes belong to whoever runs impfuzz, not to root, so cleanup needs no privileges.
    if (process.getuid && process.getgid) this.withUser(`${process.getuid()}:${process.getgid()}`);
  }

  withPorts(clientPort: number, peerPort: number): this {
    if (!(clientPort > 0 && peerPort > 0 && clientPort !== peerPort)) throw new Error(`etcd needs two distinct ports, got ${clientPort} and ${peerPort}`);
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    return this;
  }

  /** A host directory (absolute path), mounted at the same path; etcd keeps its data in `<dir>/etcd`. */
  withDataDir(dir: string): this {
    if (!dir.startsWith("/")) throw new Error(`etcd data dir must be an absolute path, got "${dir}"`);
    this.dataDir = dir;
    return this;
  }

  /** Copies the container's output to this host file, for diagnosis after the fact. */
  withLogFile(path: string): this {
    this.withLogConsumer(this.lifecycle.logConsumer(path));
    return this;
  }

  protected override async beforeContainerCreated(): Promise<void> {
    if (!this.clientPort || !this.dataDir) throw new Error("EtcdContainer needs withPorts() and withDataDir() before start()");
    // The local provider's flags, except the log level: the readiness line is logged at info.
    const flags = etcdFlags(`${this.dataDir}/etcd`, this.clientPort, this.peerPort).set("log-level", "info");
    this.withCommand(flags.render()).withBindMounts([{ source: this.dataDir, target: this.dataDir, mode: "rw" }]);
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.lifecycle.created(containerId);
  }

  override async start(): Promise<StartedEtcdContainer> {
    let started: StartedTestContainer;
    try {
      started = await super.start();
    } catch (e) {
      throw await this.lifecycle.failed(e);
    }
    return new StartedEtcdContainer(started, `http://127.0.0.1:${this.clientPort}`, this.lifecycle);
  }
}

export class StartedEtcdContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly clientUrl: string,
    private readonly lifecycle: ContainerLifecycle,
  ) {
    super(started);
  }

  /** `http://127.0.0.1:<client port>`, for `--etcd-servers`. */
  getClientUrl(): string {
    return this.clientUrl;
  }

  protected override async containerStopped(): Promise<void> {
    await this.lifecycle.stopped();
  }
}
