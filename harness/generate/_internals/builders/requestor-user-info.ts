/** RequestorSpec + the probe's local name → the requestor's UserInfo and its RBAC subjects (@internal). */
import type { Subject, UserInfo } from "../../../core/index.ts";
import type { RequestorSpec } from "../../requestor.ts";
import type { GrantStyle } from "../../grant-plan.ts";
import { SA_GROUP_PREFIX, SA_PREFIX } from "../helpers/usernames.ts";
import { REQUESTOR_GROUPS } from "../vocabulary.ts";
import { groupSubject, serviceAccountSubject, userSubject } from "./world-draft.ts";

export function requestorUserInfo(spec: RequestorSpec, localName: string): UserInfo {
  const extra = spec.extra;
  switch (spec.kind) {
    case "user":
      return { username: localName, uid: spec.uid, groups: spec.groups, extra };
    case "service-account":
      return {
        username: `${SA_PREFIX}${spec.namespace}:${localName}`,
        uid: spec.uid,
        // what a real service-account token carries (the server adds system:authenticated)
        groups: ["system:serviceaccounts", `${SA_GROUP_PREFIX}${spec.namespace}`, ...spec.groups],
        extra,
      };
    case "invalid-service-account": {
      const username =
        spec.invalidShape === "missing-namespace"
          ? `${SA_PREFIX}${localName}`
          : spec.invalidShape === "upper-namespace"
            ? `${SA_PREFIX}${spec.namespace.toUpperCase()}:${localName}`
            : `${SA_PREFIX}${spec.namespace}:${localName}:x`;
      return { username, uid: spec.uid, groups: spec.groups, extra };
    }
  }
}

/** Subjects that name this requestor, as the style asks; all of them are case-local names. */
export function requestorSubjects(spec: RequestorSpec, info: UserInfo, localName: string, style: GrantStyle["subject"], index: number): Subject[] {
  const self: Subject =
    spec.kind === "service-account" ? serviceAccountSubject(spec.namespace, localName) : userSubject(info.username);
  switch (style) {
    case "self":
      return [self];
    case "self-as-user":
      return [userSubject(info.username)];
    case "group": {
      const g = spec.groups.find((x) => (REQUESTOR_GROUPS as readonly string[]).includes(x));
      return [g === undefined ? self : groupSubject(g)];
    }
    case "sa-group":
      return [spec.kind === "service-account" ? groupSubject(`${SA_GROUP_PREFIX}${spec.namespace}`) : self];
    case "several":
      return [self, userSubject(`r${index + 1}`)];
  }
}
