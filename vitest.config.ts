import { defineConfig } from "vitest/config";

// Two projects: `unit` needs nothing but Node; `integration` starts real kube-apiservers, so its files
// run one at a time (2 cores) with generous timeouts, and a global setup builds/locates binaries once.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["harness/**/*.test.ts", "properties/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["harness/**/*.integration.test.ts", "properties/**/*.integration.test.ts"],
          globalSetup: ["harness/testing/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
