import { z } from "zod";

/**
 * Kubernetes manifests inside a scenario (`spec.objects`, `apply` steps) and object references
 * (`delete` steps). Any kind is accepted as long as it names itself (apiVersion, kind, metadata.name);
 * RBAC kinds, which are what scenarios are about, are checked field by field so that a typo such as
 * `rule:` or `verb:` is reported instead of silently granting nothing.
 */

const RBAC_API_VERSION = "rbac.authorization.k8s.io/v1";
const stringList = z.array(z.string());

const objectMetaSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

export const policyRuleSchema = z.strictObject({
  verbs: z.array(z.string()).min(1),
  apiGroups: stringList.optional(),
  resources: stringList.optional(),
  resourceNames: stringList.optional(),
  nonResourceURLs: stringList.optional(),
});

export const subjectSchema = z
  .strictObject({
    kind: z.enum(["User", "Group", "ServiceAccount"]),
    name: z.string().min(1),
    namespace: z.string().optional(),
    apiGroup: z.string().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.kind === "ServiceAccount" && !s.namespace) {
      ctx.addIssue({ code: "custom", path: ["namespace"], message: "a ServiceAccount subject needs the namespace of the service account" });
    }
  });

export const roleRefSchema = z.strictObject({
  apiGroup: z.literal("rbac.authorization.k8s.io"),
  kind: z.enum(["Role", "ClusterRole"]),
  name: z.string().min(1),
});

const namespacedMeta = objectMetaSchema.extend({ namespace: z.string().min(1) });

const roleSchema = z.strictObject({
  apiVersion: z.literal(RBAC_API_VERSION),
  kind: z.literal("Role"),
  metadata: namespacedMeta,
  rules: z.array(policyRuleSchema).optional(),
});

const clusterRoleSchema = z.strictObject({
  apiVersion: z.literal(RBAC_API_VERSION),
  kind: z.literal("ClusterRole"),
  metadata: objectMetaSchema,
  rules: z.array(policyRuleSchema).optional(),
  aggregationRule: z.unknown().optional(),
});

const roleBindingSchema = z.strictObject({
  apiVersion: z.literal(RBAC_API_VERSION),
  kind: z.literal("RoleBinding"),
  metadata: namespacedMeta,
  subjects: z.array(subjectSchema).optional(),
  roleRef: roleRefSchema,
});

const clusterRoleBindingSchema = z.strictObject({
  apiVersion: z.literal(RBAC_API_VERSION),
  kind: z.literal("ClusterRoleBinding"),
  metadata: objectMetaSchema,
  subjects: z.array(subjectSchema).optional(),
  roleRef: roleRefSchema,
});

const RBAC_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  Role: roleSchema,
  ClusterRole: clusterRoleSchema,
  RoleBinding: roleBindingSchema,
  ClusterRoleBinding: clusterRoleBindingSchema,
};

export const RBAC_KINDS = Object.keys(RBAC_SCHEMAS);

/** A manifest as a scenario carries it: any object with apiVersion, kind and metadata.name. */
export const manifestSchema = z
  .looseObject({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: objectMetaSchema,
  })
  .superRefine((m, ctx) => {
    const strict = RBAC_SCHEMAS[m.kind];
    if (m.apiVersion !== RBAC_API_VERSION || strict === undefined) return;
    const parsed = strict.safeParse(m);
    if (parsed.success) return;
    // Forward the strict schema's issues unchanged (code, path) so they read like any other.
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, input: undefined } as never);
  });

export type Manifest = z.output<typeof manifestSchema>;

/** `delete` steps name objects; the namespace is required for namespaced kinds. */
export const objectRefSchema = z.strictObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
});

export type ObjectRef = z.output<typeof objectRefSchema>;

export function isRbacManifest(m: { apiVersion: string; kind: string }): boolean {
  return m.apiVersion === RBAC_API_VERSION && RBAC_KINDS.includes(m.kind);
}
