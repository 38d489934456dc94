/**
 * `utilerrors.NewAggregate(errs).Error()` (kubernetes/apimachinery:pkg/util/errors/errors.go): messages
 * deduplicated in first-seen order; one distinct message prints bare, several print as `[a, b]`.
 * Used for RBAC's "RBAC: …" reason and for the union authorizer's aggregated error.
 */
export function aggregateErrorText(messages: readonly string[]): string {
  const seen: string[] = [];
  for (const m of messages) if (!seen.includes(m)) seen.push(m);
  if (seen.length === 1) return seen[0]!;
  return `[${seen.join(", ")}]`;
}
