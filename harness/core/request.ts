/**
 * An HTTP request as the harness sends it. `headers` is the ordered wire list: impersonation headers
 * are data here, not an object, because order, repetition, spelling and percent-encoding all matter
 * to the filter (SPEC §5).
 */
export interface HttpRequest {
  readonly method: string;
  /** URL path with optional query, e.g. `/api/v1/namespaces/bar/pods?fieldSelector=spec.nodeName%3Dn1`. */
  readonly path: string;
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly body?: unknown;
}

/** The impersonation a client asks for; encoded to `Impersonate-*` headers as kubectl/client-go do. */
export interface ImpersonationRequest {
  readonly user?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}
