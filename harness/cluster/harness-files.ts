import { generateKeyPairSync, randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";

/**
 * Files every provider hands kube-apiserver so that it (1) asks our recording webhook first for every
 * authorization, (2) asks our token webhook to authenticate minted requestors, (3) writes a Metadata
 * audit log, (4) signs service-account tokens, (5) knows one static admin token in system:masters.
 * Paths inside are as the apiserver sees them (`inDir` may differ from where we write, for containers).
 */
export interface HarnessFiles {
  readonly authorizationConfig: string;
  readonly authnWebhookKubeconfig: string;
  readonly auditPolicy: string;
  readonly tokenAuthFile: string;
  readonly serviceAccountKey: string;
  readonly adminToken: string;
}

export const ADMIN_USER = "impfuzz-admin";

export interface WebhookUrls {
  readonly authorize: string;
  readonly authenticate: string;
}

function webhookKubeconfig(name: string, url: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: url } }],
    users: [{ name: "kube-apiserver", user: {} }],
    contexts: [{ name: "default", context: { cluster: name, user: "kube-apiserver" } }],
    "current-context": "default",
  });
}

export async function writeHarnessFiles(writeDir: string, urls: WebhookUrls, inDir = writeDir): Promise<HarnessFiles> {
  const authzKubeconfig = "authz-webhook.kubeconfig";
  await writeFile(join(writeDir, authzKubeconfig), webhookKubeconfig("recorder", urls.authorize));
  await writeFile(join(writeDir, "authn-webhook.kubeconfig"), webhookKubeconfig("token-authenticator", urls.authenticate));
  // Webhook decision caching off: a cached NoOpinion would hide checks from the recorder. Deny on
  // failure: a dead recorder must show up as 403s, never as silently missing checks.
  const authz = {
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "AuthorizationConfiguration",
    authorizers: [
      {
        type: "Webhook",
        name: "recorder.impfuzz.dev",
        webhook: {
          timeout: "10s",
          subjectAccessReviewVersion: "v1",
          matchConditionSubjectAccessReviewVersion: "v1",
          failurePolicy: "Deny",
          cacheAuthorizedRequests: false,
          cacheUnauthorizedRequests: false,
          connectionInfo: { type: "KubeConfigFile", kubeConfigFile: join(inDir, authzKubeconfig) },
        },
      },
      { type: "Node", name: "node" },
      { type: "RBAC", name: "rbac" },
    ],
  };
  await writeFile(join(writeDir, "authorization-config.yaml"), stringify(authz));
  const audit = {
    apiVersion: "audit.k8s.io/v1",
    kind: "Policy",
    omitStages: ["RequestReceived"],
    rules: [
      { level: "None", nonResourceURLs: ["/healthz*", "/livez*", "/readyz*"], users: [ADMIN_USER] },
      { level: "Metadata" },
    ],
  };
  await writeFile(join(writeDir, "audit-policy.yaml"), stringify(audit));
  const adminToken = `impfuzz-admin-${randomBytes(24).toString("base64url")}`;
  await writeFile(join(writeDir, "tokens.csv"), `${adminToken},${ADMIN_USER},${ADMIN_USER}-uid,"system:masters"\n`, { mode: 0o600 });
  const { privateKey } = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    privateKeyEncoding: { type: "sec1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  await writeFile(join(writeDir, "sa.key"), privateKey, { mode: 0o600 });
  return {
    authorizationConfig: join(inDir, "authorization-config.yaml"),
    authnWebhookKubeconfig: join(inDir, "authn-webhook.kubeconfig"),
    auditPolicy: join(inDir, "audit-policy.yaml"),
    tokenAuthFile: join(inDir, "tokens.csv"),
    serviceAccountKey: join(inDir, "sa.key"),
    adminToken,
  };
}
