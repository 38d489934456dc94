import { execa } from "execa";
import { ProviderStartError } from "../../core/index.ts";

/**
 * The Docker network a kind run's node lives on, created by impfuzz (kind uses it through
 * KIND_EXPERIMENTAL_DOCKER_NETWORK). Its gateway is this machine's address on that network: the
 * webhooks listen there, so the apiserver in the node can call them and nothing outside can.
 * Labels carry the owner, so a later run can find what a killed one left behind.
 */
export async function createNetwork(name: string, labels: Readonly<Record<string, string>>): Promise<{ gateway: string }> {
  const labelArgs = Object.entries(labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]);
  const created = await execa("docker", ["network", "create", "--driver", "bridge", ...labelArgs, name], { reject: false });
  if (created.failed) throw new ProviderStartError(`docker network create ${name} failed: ${String(created.stderr).trim()}`);
  const gateway = await networkGateway(name);
  if (!gateway) throw new ProviderStartError(`docker network ${name} has no IPv4 gateway: kind's node could not reach the webhooks`);
  return { gateway };
}

export async function networkGateway(name: string): Promise<string | undefined> {
  const r = await execa("docker", ["network", "inspect", "--format", "{{range .IPAM.Config}}{{.Gateway}} {{end}}", name], { reject: false });
  return r.stdout.split(/\s+/).find((g) => /^\d+\.\d+\.\d+\.\d+$/.test(g));
}

export async function removeNetwork(name: string): Promise<void> {
  const r = await execa("docker", ["network", "rm", name], { reject: false });
  if (r.failed && !/not found|No such network/i.test(String(r.stderr))) {
    throw new Error(`docker network rm ${name} failed: ${String(r.stderr).trim()}`);
  }
}

export interface LabelledNetwork {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export async function networksWithLabel(label: string): Promise<LabelledNetwork[]> {
  const r = await execa("docker", ["network", "ls", "--filter", `label=${label}`, "--format", "{{.Name}}"], { reject: false });
  if (r.failed) return [];
  const out: LabelledNetwork[] = [];
  for (const name of r.stdout.split("\n").filter(Boolean)) {
    const i = await execa("docker", ["network", "inspect", "--format", "{{json .Labels}}", name], { reject: false });
    if (i.exitCode === 0) out.push({ name, labels: (JSON.parse(i.stdout) as Record<string, string> | null) ?? {} });
  }
  return out;
}
