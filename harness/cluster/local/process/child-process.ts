import { createWriteStream, type WriteStream } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { execa, type ResultPromise } from "execa";
import { registerCleanup } from "../../../core/cleanup.ts";
import { ProviderStartError } from "../../../core/index.ts";

export interface ChildSpec {
  /** Short name for messages: `etcd`, `kube-apiserver`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Combined stdout/stderr go here, so a failed start can be diagnosed after the fact. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: string | null;
}

const TAIL_LINES = 30;

/**
 * One long-running binary (controller-runtime's `process` layer): started, observable for an early
 * exit while we wait for it to become healthy, stopped with SIGTERM then SIGKILL, and killed at
 * process exit if nobody stopped it.
 */
export class StartedChild {
  private readonly tail: string[] = [];
  private exitInfo: ChildExit | undefined;
  readonly exited: Promise<ChildExit>;
  private readonly unregister: () => void;

  private constructor(
    readonly spec: ChildSpec,
    private readonly proc: ResultPromise,
    private readonly log: WriteStream,
  ) {
    for (const stream of [proc.stdout, proc.stderr]) {
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        log.write(chunk);
        for (const line of chunk.split("\n")) {
          if (!line) continue;
          this.tail.push(line);
          if (this.tail.length > TAIL_LINES) this.tail.shift();
        }
      });
    }
    this.exited = proc.then(
      (r) => this.recordExit(r.exitCode ?? null, r.signal ?? null),
      (e: { exitCode?: number; signal?: string }) => this.recordExit(e.exitCode ?? null, e.signal ?? null),
    );
    const pid = proc.pid;
    this.unregister = registerCleanup({
      name: `${spec.name} pid ${pid}`,
      async: async () => {
        await this.stop();
      },
      sync: () => {
        if (pid && !this.exitInfo) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // Already gone.
          }
        }
      },
    });
  }

  static start(spec: ChildSpec): StartedChild {
    const log = createWriteStream(spec.logFile, { flags: "a" });
    const proc = execa(spec.command, [...spec.args], {
      env: spec.env ?? process.env,
      extendEnv: false,
      stdin: "ignore",
      buffer: false,
      reject: false,
      cleanup: true,
    });
    return new StartedChild(spec, proc, log);
  }

  private recordExit(code: number | null, signal: string | null): ChildExit {
    this.exitInfo = { code, signal };
    this.log.end();
    this.unregister();
    return this.exitInfo;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  lastLines(n = 8): string {
    return this.tail.slice(-n).join(" | ");
  }

  /**
   * Polls `healthy` every 100 ms until it says yes, failing fast and clearly if the child exits
   * first, and stopping the child on timeout so nothing half-started lingers.
   */
  async waitUntilHealthy(healthy: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        throw new ProviderStartError(
          `${this.spec.name} exited (code ${this.exitInfo.code}, signal ${this.exitInfo.signal}) before it was ready; log ${this.spec.logFile}: ${this.lastLines()}`,
        );
      }
      if (await healthy().catch(() => false)) return;
      await sleep(100);
    }
    await this.stop();
    throw new ProviderStartError(
      `${this.spec.name} was not ready within ${timeoutMs / 1000}s; log ${this.spec.logFile}: ${this.lastLines()}`,
    );
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<ChildExit> {
    if (this.exitInfo) return this.exitInfo;
    this.proc.kill("SIGTERM");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
