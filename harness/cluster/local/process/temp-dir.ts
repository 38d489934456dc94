import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerCleanup } from "../../../core/cleanup.ts";

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** All temp dirs of impfuzz share this prefix, so a test can assert that a run left none behind. */
export const TEMP_PREFIX = "impfuzz-";

/**
 * A temp dir that is removed on stop, and at exit if stop never ran. `memory` puts it on /dev/shm
 * (tmpfs) when the machine has one: etcd's data needs no durability here and fsyncs cost seconds.
 */
export function makeTempDir(label: string, opts: { memory?: boolean } = {}): TempDir {
  const base = opts.memory && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const path = mkdtempSync(join(base, `${TEMP_PREFIX}${label}-`));
  const unregister = registerCleanup({
    name: `temp dir ${path}`,
    async: () => rm(path, { recursive: true, force: true }),
    sync: () => rmSync(path, { recursive: true, force: true }),
  });
  return {
    path,
    async remove() {
      await rm(path, { recursive: true, force: true });
      unregister();
    },
  };
}
