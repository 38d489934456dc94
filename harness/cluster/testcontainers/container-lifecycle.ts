import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { getContainerRuntimeClient } from "testcontainers";
import { registerCleanup } from "../../core/cleanup.ts";
import { logToFile, type LogTail } from "./container-log.ts";
import { removeContainersSync } from "./owner.ts";

/**
 * What both container builders do around testcontainers' start: register the container for cleanup
 * the moment it exists (so a crash or Ctrl-C during start still removes it), copy its output to a log
 * file, and turn a failed start into one error that carries the last log lines, with the container
 * gone.
 */
export class ContainerLifecycle {
  private id: string | undefined;
  private unregister: (() => void) | undefined;
  private tail: LogTail | undefined;

  constructor(private readonly component: string) {}

  created(containerId: string): void {
    this.id = containerId;
    this.unregister = registerCleanup({
      name: `${this.component} container ${containerId.slice(0, 12)}`,
      async: () => removeContainer(containerId),
      sync: () => removeContainersSync([containerId]),
    });
  }

  logConsumer(file: string): (stream: Readable) => void {
    return (stream) => {
      this.tail = logToFile(stream, file);
    };
  }

  /** After a normal stop and removal. */
  async stopped(): Promise<void> {
    this.unregister?.();
    this.unregister = undefined;
    await this.logClosed();
  }

  /** After a failed start: make sure the container is gone, then explain with its last log lines. */
  async failed(e: unknown): Promise<Error> {
    if (this.id) await removeContainer(this.id).catch(() => {});
    this.unregister?.();
    this.unregister = undefined;
    await this.logClosed();
    const err = e instanceof Error ? e : new Error(String(e));
    const lines = this.tail?.lines() ?? "";
    return new Error(`${this.component} container: ${err.message}${lines ? `; last log lines: ${lines}` : ""}`, { cause: err });
  }

  private async logClosed(): Promise<void> {
    if (this.tail) await Promise.race([this.tail.closed, sleep(2000)]);
  }
}

/** Force-removes a container and its anonymous volumes; one that is already gone is fine. */
export async function removeContainer(id: string): Promise<void> {
  const client = await getContainerRuntimeClient();
  try {
    await client.container.dockerode.getContainer(id).remove({ force: true, v: true });
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw e;
  }
}
