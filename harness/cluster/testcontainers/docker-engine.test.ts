import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

// No engine: testcontainers finds no working strategy, as on a machine where dockerd is not running.
vi.mock("testcontainers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("testcontainers")>()),
  getContainerRuntimeClient: vi.fn(async () => {
    throw new Error("Could not find a working container runtime strategy");
  }),
}));

const { connectDocker } = await import("./docker-engine.ts");
const { runCommand } = await import("../../cli/commands/run.ts");

describe("a missing Docker engine", () => {
  it("is one ProviderStartError line naming the fix, exit code 2", async () => {
    const err = await connectDocker().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "E_PROVIDER_START", exitCode: 2 });
    expect((err as Error).message).toMatch(/^no Docker engine answers at .*: start dockerd or use --provider local$/);
    expect((err as Error).message).not.toContain("\n");
  });

  it("stops `run --provider testcontainers` (exit 2) before a report folder is written", async () => {
    const reports = join(mkdtempSync(join(tmpdir(), "impfuzz-test-reports-")), "reports");
    try {
      const err = await runCommand({
        version: "1.37.2",
        versionExplicit: false,
        gate: true,
        cases: 1,
        timeSeconds: 1,
        seed: 1,
        concurrency: 1,
        batchSize: 1,
        shrinkSeconds: 1,
        maxShrinks: 1,
        reportsDir: reports,
        provider: "testcontainers",
        json: true,
        signal: new AbortController().signal,
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "E_PROVIDER_START", exitCode: 2 });
      expect(existsSync(reports)).toBe(false);
    } finally {
      rmSync(join(reports, ".."), { recursive: true, force: true });
    }
  });
});
