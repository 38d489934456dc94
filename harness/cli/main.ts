import { Command, Option } from "commander";
import { DEFAULT_KUBE_VERSION, isImpfuzzError, parseKubeVersion, SUPPORTED_KUBE_VERSIONS, UsageError } from "../core/index.ts";
import { PROVIDER_NAMES } from "./provider-names.ts";
import { runAllCleanups } from "../core/cleanup.ts";
import { installSignalHandlers } from "./signals.ts";

/**
 * The CLI boundary: parse, run one command, turn its result or error into an exit code once.
 * Exit codes: 0 clean; 1 divergences or failed expectations; 2 bad input or environment (found
 * before anything is applied or written); 3 infrastructure lost mid-run; 130/143 interrupted.
 */
const versionOption = () =>
  new Option("--kube-version <version>", `Kubernetes version (${SUPPORTED_KUBE_VERSIONS.join(", ")})`).default(DEFAULT_KUBE_VERSION);
const gateOption = () => new Option("--gate <on|off>", "ConstrainedImpersonation feature gate").choices(["on", "off"]).default("on");

function versionFrom(cmd: Command): { version: ReturnType<typeof parseKubeVersion>; versionExplicit: boolean } {
  return {
    version: parseKubeVersion(String(cmd.getOptionValue("kubeVersion"))),
    versionExplicit: cmd.getOptionValueSource("kubeVersion") === "cli",
  };
}

function positiveInt(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive whole number, got "${raw}"`);
  return n;
}

function seedOf(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new UsageError(`--seed must be a 32-bit integer, got "${raw}"`);
  return n;
}

function indexOf(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--index must be 0 or a positive whole number, got "${raw}"`);
  return n;
}

export async function main(argv: string[]): Promise<number> {
  const { controller, exitCodeIfInterrupted } = installSignalHandlers();
  const signal = controller.signal;
  let exitCode = 0;
  const program = new Command("impfuzz")
    .description("Differential fuzzing of Kubernetes constrained impersonation (KEP-5284) against a real kube-apiserver")
    .option("--verbose", "print stack traces of harness errors")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const kube = program.command("kube").description("Kubernetes binaries and images");
  kube
    .command("build")
    .description("build (or find) kube-apiserver and etcd for a version")
    .addOption(versionOption())
    .option("--force", "rebuild even if cached binaries exist")
    .action(async (opts: { force?: boolean }, cmd: Command) => {
      const { kubeBuild } = await import("./commands/kube-build.ts");
      exitCode = await kubeBuild({ ...versionFrom(cmd), force: !!opts.force, signal });
    });
  kube
    .command("images")
    .description(
      "build the testcontainers provider's images (registry.k8s.io/kube-apiserver, registry.k8s.io/etcd) locally, FROM scratch with the built binaries, for machines without a registry",
    )
    .addOption(versionOption())
    .option("--force", "rebuild even if the images were built from the same binaries")
    .action(async (opts: { force?: boolean }, cmd: Command) => {
      const { kubeImages } = await import("./commands/kube-images.ts");
      exitCode = await kubeImages({ ...versionFrom(cmd), force: !!opts.force, signal });
    });

  kube
    .command("kind")
    .description("find the kind CLI (IMPFUZZ_KIND, then PATH) or build it from the sigs.k8s.io/kind module into the cache")
    .action(async () => {
      const { kubeKind } = await import("./commands/kube-kind.ts");
      exitCode = await kubeKind({ signal });
    });
  kube
    .command("node-image")
    .description(
      "build a kind node image (kindest/node:v<version>-impfuzz) offline: debootstrapped base, Go-built kubelet/kubeadm/kubectl and control-plane images; for --provider kind on machines without a registry",
    )
    .addOption(versionOption())
    .option("--force", "rebuild the node image and its control-plane images even if their inputs are unchanged")
    .option("--force-base", "also re-run debootstrap for the base image")
    .action(async (opts: { force?: boolean; forceBase?: boolean }, cmd: Command) => {
      const { kubeNodeImage } = await import("./commands/kube-node-image.ts");
      exitCode = await kubeNodeImage({ ...versionFrom(cmd), force: !!opts.force, forceBase: !!opts.forceBase, signal });
    });

  const providerOption = () => new Option("--provider <name>", "where the apiserver runs").choices([...PROVIDER_NAMES]).default("local");

  const cluster = program.command("cluster").description("run a cluster by hand");
  cluster
    .command("up")
    .description("start a kube-apiserver with the impfuzz webhooks; stays up until Ctrl-C")
    .addOption(versionOption())
    .addOption(gateOption())
    .addOption(providerOption())
    .action(async (opts: { gate: string; provider: string }, cmd: Command) => {
      const { clusterUp } = await import("./commands/cluster-up.ts");
      exitCode = await clusterUp({ ...versionFrom(cmd), gate: opts.gate === "on", provider: opts.provider }, signal);
    });

  const intOption = (flags: string, desc: string, def: number) =>
    new Option(flags, desc).default(def).argParser((raw: string) => positiveInt(flags.split(" ")[0]!, raw));

  program
    .command("run")
    .description("differential fuzzing: generated cases against a real kube-apiserver and the oracle")
    .addOption(versionOption())
    .addOption(gateOption())
    .addOption(providerOption())
    .addOption(intOption("--cases <n>", "cases to generate (the run stops at --cases or --time)", 2000))
    .addOption(intOption("--time <seconds>", "time budget for probing", 120))
    .addOption(new Option("--seed <n>", "fast-check seed (default: random, printed)").argParser((raw: string) => seedOf(raw)))
    .addOption(intOption("--concurrency <n>", "probes in flight", 32))
    .addOption(intOption("--batch <n>", "cases applied and probed together", 32))
    .addOption(intOption("--shrink-seconds <n>", "time budget to shrink one divergence against the server", 60))
    .addOption(intOption("--max-shrinks <n>", "distinct divergence classes to shrink per run", 5))
    .option("--reports-dir <dir>", "where run folders go", "reports")
    .option("--json", "print the summary as JSON instead of text and progress")
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { runCommand } = await import("./commands/run.ts");
      exitCode = await runCommand({
        ...versionFrom(cmd),
        gate: opts.gate === "on",
        provider: String(opts.provider),
        cases: opts.cases as number,
        timeSeconds: opts.time as number,
        seed: (opts.seed as number | undefined) ?? Math.floor(Math.random() * 2 ** 31),
        concurrency: opts.concurrency as number,
        batchSize: opts.batch as number,
        shrinkSeconds: opts.shrinkSeconds as number,
        maxShrinks: opts.maxShrinks as number,
        reportsDir: String(opts.reportsDir),
        json: !!opts.json,
        signal,
      });
    });

  program
    .command("scenarios")
    .description("run impfuzz/v1 scenario files (default: scenarios/) against the server and the oracle")
    .argument("[paths...]", "files or directories")
    .addOption(versionOption())
    .addOption(providerOption())
    .option("--junit <file>", "write JUnit XML")
    .action(async (paths: string[], opts: { provider: string; junit?: string }, cmd: Command) => {
      const { scenariosCommand } = await import("./commands/scenarios.ts");
      exitCode = await scenariosCommand({ paths, ...versionFrom(cmd), provider: opts.provider, junit: opts.junit, signal });
    });

  program
    .command("replay")
    .description("re-run journal records against a fresh cluster and the oracle")
    .argument("<source>", "a run directory (reports/<run-id>) or a divergences.jsonl")
    .addOption(new Option("--index <n>", "only this record (0-based)").argParser((raw: string) => indexOf(raw)))
    .addOption(providerOption())
    .option("--reports-dir <dir>", "where the replay report goes", "reports")
    .action(async (source: string, opts: { index?: number; provider: string; reportsDir: string }) => {
      const { replayCommand } = await import("./commands/replay.ts");
      exitCode = await replayCommand({ source, index: opts.index, provider: opts.provider, reportsDir: opts.reportsDir, signal });
    });

  program
    .command("export")
    .description("write journal records as impfuzz/v1 scenario files")
    .argument("<source>", "a run directory (reports/<run-id>) or a divergences.jsonl")
    .addOption(new Option("--index <n>", "only this record (0-based)").argParser((raw: string) => indexOf(raw)))
    .option("--name <name>", "scenario metadata.name")
    .option("--out <file>", "write here instead of stdout")
    .action(async (source: string, opts: { index?: number; name?: string; out?: string }) => {
      const { exportCommand } = await import("./commands/export.ts");
      exitCode = await exportCommand({ source, index: opts.index, name: opts.name, out: opts.out });
    });

  program
    .command("repro")
    .description("print a self-contained bash script (kubectl + curl) that replays a scenario on any cluster")
    .argument("<scenario.yaml>")
    .option("--name <name>", "which scenario, when the file holds several")
    .action(async (file: string, opts: { name?: string }) => {
      const { reproCommand } = await import("./commands/repro.ts");
      exitCode = await reproCommand({ file, name: opts.name });
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCodeIfInterrupted() ?? exitCode;
  } catch (e) {
    const interrupted = exitCodeIfInterrupted();
    if (interrupted !== undefined) {
      const errors = await runAllCleanups();
      for (const err of errors) process.stderr.write(`impfuzz: cleanup: ${err.message}\n`);
      return interrupted;
    }
    return reportError(e, program.opts<{ verbose?: boolean }>().verbose ?? argv.includes("--verbose"));
  }
}

function reportError(e: unknown, verbose: boolean): number {
  const ce = e as { code?: string; exitCode?: number };
  if (typeof ce.code === "string" && ce.code.startsWith("commander.")) {
    // Commander already printed usage/help; --help and --version exit 0.
    return ce.code === "commander.helpDisplayed" || ce.code === "commander.version" || ce.code === "commander.help" ? 0 : 2;
  }
  if (isImpfuzzError(e)) {
    process.stderr.write(`impfuzz: ${e.message}\n`);
    if (verbose && e.cause) process.stderr.write(`${String((e.cause as Error).stack ?? e.cause)}\n`);
    return e.exitCode;
  }
  if (e instanceof UsageError) return 2;
  process.stderr.write(`impfuzz: internal error: ${(e as Error).stack ?? String(e)}\n`);
  return 2;
}
