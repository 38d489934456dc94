import { describe, expect, it } from "vitest";
import type { Authorizer } from "../oracle/authorizer.ts";
import { predictRequest } from "../oracle/predict.ts";
import { emptyState } from "../oracle/state.ts";
import { filterRequest, u } from "../oracle/upstream-helpers.ts";
import { journalRecordSchema } from "../record/index.ts";
import { predictedResult } from "./predicted-result.ts";

const predictionSchema = journalRecordSchema.shape.predicted;
const getPod = filterRequest({ isResourceRequest: true, verb: "get", apiVersion: "v1", resource: "pods", name: "foo", namespace: "bar" });
const denyAll: Authorizer = { authorize: () => ({ decision: "no-opinion", reason: "", decidedBy: "none" }) };
const allowAll: Authorizer = { authorize: () => ({ decision: "allow", reason: "", decidedBy: "rbac" }) };

function predict(authorizer: Authorizer, headers: [string, string][]) {
  return predictRequest(emptyState(), 0, { gate: true }, {
    authorizer,
    requestor: u("r", { groups: ["system:authenticated"] }),
    headers,
    request: getPod,
    requestURI: "/api/v1/namespaces/bar/pods/foo",
  }).prediction;
}

describe("predictedResult", () => {
  it("turns a real oracle prediction with a Status body into a valid journal prediction", () => {
    const denied = predict(denyAll, [["Impersonate-User", "alice"]]);
    expect(denied.status).not.toBeNull();
    expect(predictionSchema.safeParse(denied).success).toBe(false);
    expect(predictionSchema.parse(predictedResult(denied))).toEqual(predictedResult(denied));
  });

  it("also when Go map order gave alternatives", () => {
    const merged = predict(allowAll, [["Impersonate-User", "alice"], ["Impersonate-Extra-A", "1"], ["impersonate-extra-a", "2"], ["Impersonate-Extra-%61", "3"]]);
    expect(merged.alternatives?.length).toBeGreaterThan(1);
    expect(predictionSchema.parse(predictedResult(merged)).checks).toEqual(merged.checks);
  });
});
