import { Command, Option } from "commander";
import { DEFAULT_KUBE_VERSION, isImpfuzzError, parseKubeVersion, SUPPORTED_KUBE_VERSIONS, UsageError } from "../core/index.ts";
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

export async function main(argv: string[]): Promise<number> {
  const controller = installSignalHandlers();
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

  const cluster = program.command("cluster").description("run a cluster by hand");
  cluster
    .command("up")
    .description("start a local kube-apiserver with the impfuzz webhooks; stays up until Ctrl-C")
    .addOption(versionOption())
    .addOption(gateOption())
    .action(async (opts: { gate: string }, cmd: Command) => {
      const { clusterUp } = await import("./commands/cluster-up.ts");
      exitCode = await clusterUp({ ...versionFrom(cmd), gate: opts.gate === "on" }, signal);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
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
