import { stringify } from "yaml";
import type { UserInfo } from "../core/index.ts";
import { isolateScenario, type LoadedScenario, parseDuration, stepKind, toHttpRequest } from "../scenario/index.ts";
import { shq } from "./shell-quote.ts";

export interface ReproOptions {
  /** Isolation token (default: random), so the script's names do not meet earlier runs' server state. */
  readonly token?: string;
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * How the script gets a bearer token for a requestor. On an impfuzz cluster (`cluster up` prints a
 * mint URL) any identity can be minted. On any other cluster only service accounts exist as real
 * identities: `kubectl create token` makes one, with the SA's own groups and a credential-id extra and
 * nothing else, so a requestor with other groups, a uid or extras cannot be reproduced there; the
 * script says so and stops rather than sending the request as someone else.
 */
function credentialFunction(): string {
  return `token_for() {
  # $1: identity as JSON (for a mint endpoint), $2: username, $3: "exact" if a service-account token reproduces it
  if [ -n "\${IMPFUZZ_MINT_URL:-}" ]; then
    curl -sS -XPOST "$IMPFUZZ_MINT_URL" -d "$1" | sed -n 's/.*"token":"\\([^"]*\\)".*/\\1/p'
    return
  fi
  case "$2" in
    system:serviceaccount:*:*)
      if [ "$3" != exact ]; then
        echo "requestor $2 has groups, a uid or extras a service-account token cannot carry: set IMPFUZZ_MINT_URL (impfuzz cluster up) to reproduce it" >&2
        return 1
      fi
      local ns=\${2#system:serviceaccount:}; local sa=\${ns#*:}; ns=\${ns%%:*}
      kubectl create namespace "$ns" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
      kubectl create serviceaccount -n "$ns" "$sa" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
      kubectl create token -n "$ns" "$sa" ;;
    *)
      echo "requestor $2 is not a service account: only a mint endpoint (IMPFUZZ_MINT_URL, from impfuzz cluster up) or your own authenticator can present it" >&2
      return 1 ;;
  esac
}`;
}

function saExact(u: UserInfo): boolean {
  const m = SA_USER.exec(u.username);
  if (!m) return false;
  const own = ["system:serviceaccounts", `system:serviceaccounts:${m[1]}`];
  const groups = u.groups.filter((g) => g !== "system:authenticated");
  return !u.uid && Object.keys(u.extra).length === 0 && (groups.length === 0 || (groups.length === 2 && own.every((g) => groups.includes(g))));
}

function identityJson(u: UserInfo): string {
  return JSON.stringify({ username: u.username, uid: u.uid, groups: u.groups, extra: u.extra });
}

function curlHeader(name: string, value: string): string {
  // curl sends `Name;` as a header with an empty value; `Name: ` would send nothing.
  return value === "" ? `-H ${shq(`${name};`)}` : `-H ${shq(`${name}: ${value}`)}`;
}

/**
 * A self-contained bash script that replays a scenario on any cluster with the gate on, with only
 * kubectl (admin KUBECONFIG) and curl: it applies the objects, gets a token per requestor, sends each
 * request with its impersonation headers, and prints one `STEP <n> CODE <code> MESSAGE <json string>`
 * line per request (then the file's expectation, for reading), deleting what it applied at the end.
 */
export function reproScript(loaded: LoadedScenario, opts: ReproOptions = {}): { script: string; token: string } {
  const iso = isolateScenario(loaded.scenario, opts.token ? { token: opts.token } : {});
  const s = iso.scenario;
  const out: string[] = [];
  out.push(
    `#!/usr/bin/env bash`,
    `# impfuzz repro of scenario ${loaded.scenario.metadata.name} (${loaded.file})`,
    ...(loaded.scenario.metadata.source ? [`# source: ${loaded.scenario.metadata.source}`] : []),
    `# Names the scenario owns carry the suffix ${iso.token}, so the server's per-requestor memory (the`,
    `# mode index never expires; caches live 10 s) starts fresh. Needs: kubectl with an admin KUBECONFIG, curl,`,
    `# a cluster with ConstrainedImpersonation ${s.spec.gate ? "ON" : "OFF"}. On an impfuzz cluster set IMPFUZZ_MINT_URL.`,
    `set -euo pipefail`,
    `command -v kubectl >/dev/null || { echo "kubectl is needed" >&2; exit 2; }`,
    `command -v curl >/dev/null || { echo "curl is needed" >&2; exit 2; }`,
    `SERVER=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')`,
    `CA=$(mktemp); BODY=$(mktemp); APPLIED=$(mktemp)`,
    `trap 'kubectl delete -f "$APPLIED" --ignore-not-found >/dev/null 2>&1 || true; rm -f "$CA" "$BODY" "$APPLIED"' EXIT`,
    `kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d > "$CA"`,
    credentialFunction(),
    `apply_objects() { cat >> "$APPLIED"; printf -- '---\\n' >> "$APPLIED"; kubectl apply -f "$APPLIED" >/dev/null; }`,
  );
  const objectsYaml = (objs: readonly unknown[]) => objs.map((o) => stringify(o)).join("---\n");
  const heredoc = (text: string) => `<<'IMPFUZZ_EOF'\n${text}IMPFUZZ_EOF`;
  const applyLines = (objs: readonly { metadata: { namespace?: string }; kind: string }[]) => [
    // kubectl apply does not create namespaces; the impfuzz runner does, so the script must too.
    ...[...new Set(objs.filter((o) => !/^Cluster/.test(o.kind)).map((o) => o.metadata.namespace).filter((n): n is string => !!n))].map(
      (ns) => `kubectl create namespace ${shq(ns)} --dry-run=client -o yaml | kubectl apply -f - >/dev/null`,
    ),
    `apply_objects ${heredoc(objectsYaml(objs))}`,
    `sleep 1  # let RBAC's informers catch up`,
  ];
  if (s.spec.objects.length) out.push(...applyLines(s.spec.objects));
  const tokens = new Map<string, string>();
  s.spec.steps.forEach((step, i) => {
    const n = i + 1;
    out.push(``, `# step ${n}: ${step.name ?? stepKind(step)}`);
    if ("apply" in step) out.push(...applyLines(step.apply));
    else if ("delete" in step) {
      for (const r of step.delete) {
        const group = r.apiVersion.includes("/") ? `.${r.apiVersion.split("/")[0]}` : "";
        const ns = r.namespace && !/^Cluster/.test(r.kind) ? ` -n ${shq(r.namespace)}` : "";
        out.push(`kubectl delete ${shq(`${r.kind.toLowerCase()}${group}`)} ${shq(r.name)}${ns} --ignore-not-found >/dev/null`);
      }
      out.push(`sleep 1`);
    } else if ("wait" in step) out.push(`sleep ${(parseDuration(step.wait) / 1000).toFixed(3)}`);
    else {
      const as = step.request.as;
      const u: UserInfo = { username: as.user, uid: as.uid ?? "", groups: as.groups ?? [], extra: as.extra ?? {} };
      const key = identityJson(u);
      let tokVar = tokens.get(key);
      if (!tokVar) {
        tokVar = `TOKEN_${tokens.size + 1}`;
        tokens.set(key, tokVar);
        out.push(`${tokVar}=$(token_for ${shq(key)} ${shq(u.username)} ${saExact(u) ? "exact" : "inexact"})`);
      }
      const req = toHttpRequest(step.request);
      const args = [
        // Not curl's own User-Agent: the apiserver pretty-prints JSON for curl, and the message is read by sed.
        `-sS --cacert "$CA" -o "$BODY" -w '%{http_code}' -A impfuzz-repro`,
        `-H "Authorization: Bearer $${tokVar}"`,
        `-H 'Accept: application/json'`,
        ...req.headers.map(([k, v]) => curlHeader(k, v)),
        `-X ${shq(req.method)}`,
        ...(req.body === undefined
          ? []
          : [`-H ${shq(req.method === "PATCH" ? "Content-Type: application/merge-patch+json" : "Content-Type: application/json")}`, `--data-binary ${shq(JSON.stringify(req.body))}`]),
        `"$SERVER"${shq(req.path)}`,
      ];
      out.push(
        `CODE=$(curl ${args.join(" ")})`,
        `MESSAGE=$(sed -n 's/.*"message":"\\(\\([^"\\\\]\\|\\\\.\\)*\\)".*/\\1/p' "$BODY" | head -n 1)`,
        `printf 'STEP %s CODE %s MESSAGE "%s"\\n' ${n} "$CODE" "$MESSAGE"`,
      );
      const orig = loaded.scenario.spec.steps[i];
      const exp = orig && "request" in orig ? orig.expect : undefined;
      if (exp?.code !== undefined || exp?.message !== undefined) {
        out.push(`echo ${shq(`  file expects: ${exp.code ?? ""} ${typeof exp.message === "string" ? exp.message : JSON.stringify(exp.message ?? "")}`)}`);
      }
    }
  });
  out.push(``);
  return { script: out.join("\n"), token: iso.token };
}
