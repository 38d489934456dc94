import { defineConfig } from "vitest/config";

// `unit` needs nothing but Node; `integration` starts real kube-apiservers, so its files run one at a
// time (2 cores) with generous timeouts, and a global setup builds/locates binaries once. `kind-catalogue`
// (the whole scenario catalogue on kind clusters, ~70 s) is `npm run test:kind`, which .ci/run also
// runs, so that `npm test` stays a few minutes.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["harness/**/*.test.ts", "properties/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/*.kind-catalogue.test.ts", "node_modules/**"],
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
      {
        test: {
          name: "kind-catalogue",
          include: ["harness/**/*.kind-catalogue.test.ts"],
          globalSetup: ["harness/testing/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
