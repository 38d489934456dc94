import { stringify } from "yaml";
import type { CheckAttributes, JournalRecord, RequestResult } from "../core/index.ts";
import { encodeImpersonation, parseScenarios } from "../scenario/index.ts";

type Headers = readonly (readonly [string, string])[];

const CANONICAL = /^Impersonate-(User|Uid|Group|Extra-.+)$/;

/**
 * The `impersonate:` block that client-go would encode to exactly these headers, or undefined when no
 * such block exists (odd spellings, repeated users, order a client never produces): then the headers
 * go into the scenario verbatim under `headers:`, which reproduces them byte for byte.
 */
function asImpersonation(headers: Headers): { user?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } | undefined {
  if (headers.length === 0 || headers.some(([k]) => !CANONICAL.test(k))) return undefined;
  const imp: { user?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } = {};
  for (const [k, v] of headers) {
    if (k === "Impersonate-User") imp.user = v;
    else if (k === "Impersonate-Uid") imp.uid = v;
    else if (k === "Impersonate-Group") (imp.groups ??= []).push(v);
    else {
      let key = k.slice("Impersonate-Extra-".length).toLowerCase();
      try {
        key = decodeURIComponent(key);
      } catch {
        return undefined;
      }
      (imp.extra ??= {})[key] ??= [];
      imp.extra[key]!.push(v);
    }
  }
  const again = encodeImpersonation(imp);
  const same = again.length === headers.length && again.every(([k, v], i) => k === headers[i]![0] && v === headers[i]![1]);
  return same ? imp : undefined;
}

function rawHeaders(headers: Headers): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of headers) (out[k] ??= []).push(v);
  return out;
}

function checkForFile(a: CheckAttributes): Record<string, string> {
  return a.resourceRequest
    ? { user: a.user.username, verb: a.verb, group: a.group, version: a.version, resource: a.resource, subresource: a.subresource, namespace: a.namespace, name: a.name }
    : { user: a.user.username, verb: a.verb, path: a.path };
}

/**
 * What the server did as a scenario step's `expect` block (the server is the fact). Shared by the
 * journal export and the stateful suite's scenario writer, so both files say the same things.
 */
export function expectationFor(o: RequestResult): Record<string, unknown> {
  return {
    ...(o.code === null ? {} : { code: o.code }),
    outcome: o.outcome,
    ...(o.message !== null && o.outcome !== "allowed" ? { message: o.message } : {}),
    ...(o.user ? { user: { username: o.user.username, uid: o.user.uid, groups: [...o.user.groups], extra: o.user.extra } } : {}),
    constraint: o.constraint,
    checks: o.checks.map((c) => checkForFile(c.attributes)),
  };
}

/**
 * A journal record as an `impfuzz/v1` scenario: the case's objects, one request step with the probe,
 * and `expect` filled with what the SERVER did (the server is the fact). Running the scenario then
 * passes its expectations and shows the oracle's disagreement, which is the finding. The YAML is parsed
 * back through the scenario loader before it is returned, so an export is always a valid scenario.
 */
export function exportScenario(record: JournalRecord, name: string): string {
  const probe = record.probe;
  const imp = asImpersonation(probe.request.headers);
  const headers = imp ? undefined : rawHeaders(probe.request.headers);
  const o = record.observed;
  const doc = {
    apiVersion: "impfuzz/v1",
    kind: "Scenario",
    metadata: {
      name,
      description: `${record.kind} found by impfuzz run ${record.runId} (seed ${record.seed}, path ${record.path ?? "-"}): ${record.comparison.classification}`,
      source: `impfuzz run ${record.runId}`,
      labels: { origin: "fuzz" },
    },
    spec: {
      versions: `>=${record.kubeVersion.split(".").slice(0, 2).join(".")}`,
      gate: record.gate,
      objects: record.case.objects,
      steps: [
        {
          name: `probe ${record.probeIndex}`,
          request: {
            as: {
              user: probe.requestor.username,
              ...(probe.requestor.uid ? { uid: probe.requestor.uid } : {}),
              ...(probe.requestor.groups.length ? { groups: [...probe.requestor.groups] } : {}),
              ...(Object.keys(probe.requestor.extra).length ? { extra: probe.requestor.extra } : {}),
            },
            ...(imp ? { impersonate: imp } : {}),
            ...(headers && Object.keys(headers).length ? { headers } : {}),
            method: probe.request.method,
            path: probe.request.path,
            ...(probe.request.body === undefined ? {} : { body: probe.request.body }),
          },
          expect: expectationFor(o),
        },
      ],
    },
  };
  const text = stringify(doc, { lineWidth: 0 });
  parseScenarios(text, `${name}.yaml`);
  return text;
}
