import { buildProgressReporter } from "../build-progress.ts";

/** `impfuzz kube kind`: the kind CLI the kind provider will use, found or built once. */
export async function kubeKind(opts: { signal: AbortSignal }): Promise<number> {
  const { ensureKind } = await import("../../cluster/kind/kind-binary.ts");
  const started = Date.now();
  const kind = await ensureKind({ onProgress: buildProgressReporter(), signal: opts.signal });
  process.stdout.write(`kind ${kind.version}: ${kind.path} (from ${kind.source}, ${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
  return 0;
}
