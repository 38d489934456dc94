import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";

export async function writeAdminKubeconfig(path: string, server: string, caPem: string, token: string): Promise<void> {
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "impfuzz", cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") } }],
    users: [{ name: "impfuzz-admin", user: { token } }],
    contexts: [{ name: "impfuzz", context: { cluster: "impfuzz", user: "impfuzz-admin" } }],
    "current-context": "impfuzz",
  };
  await writeFile(path, stringify(doc), { mode: 0o600 });
}
