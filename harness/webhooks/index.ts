export { TokenAuthenticator } from "./token-authenticator.ts";
export { RecordingAuthorizer, BARRIER_EXTRA_KEY, type RecordedCheck } from "./recording-authorizer.ts";
export { sarToCheck, type SarSpec } from "./sar-to-check.ts";
