import { execa } from "execa";

export interface ImageInfo {
  readonly id: string;
  readonly bytes: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** An image on the local Docker engine (through the CLI, as kind itself uses it), or undefined if absent. */
export interface ImageInfo {
  readonly id: string;
  readonly bytes: number;
  readonly labels: Readonly<Record<string, string>>;
}

export async function inspectImage(image: string): Promise<ImageInfo | undefined> {
  const r = await execa("docker", ["image", "inspect", "--format", "{{json .}}", image], { reject: false });
  if (r.exitCode !== 0) return undefined;
  const j = JSON.parse(r.stdout) as { Id: string; Size: number; Config?: { Labels?: Record<string, string> | null } };
  return { id: j.Id, bytes: j.Size, labels: j.Config?.Labels ?? {} };
}
