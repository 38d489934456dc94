/** `--provider` values; kept apart from providers.ts so that parsing options loads no provider. */
export const PROVIDER_NAMES = ["local", "testcontainers", "kind"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];
