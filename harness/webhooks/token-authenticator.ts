import { randomBytes } from "node:crypto";
import type { UserInfo } from "../core/index.ts";
import { JsonWebhookServer } from "./json-webhook-server.ts";

interface TokenReview {
  apiVersion?: string;
  kind?: string;
  spec?: { token?: string };
}

/**
 * The token-authentication webhook: the harness can mint a bearer token for ANY identity (any
 * username, uid, groups, extras — e.g. a service-account name with a node-name extra), which no real
 * authenticator would let a test fabricate.
 *
 * kube-apiserver caches successful token reviews for ~10 s whatever the webhook TTL flag says (a
 * union-level cache), so a token is bound to one identity for life: every mint returns a new token.
 */
export class TokenAuthenticator {
  private readonly identities = new Map<string, UserInfo>();
  private reviews = 0;

  private constructor(private readonly server: JsonWebhookServer) {}

  static async start(host?: string): Promise<TokenAuthenticator> {
    let self: TokenAuthenticator | undefined;
    const server = await JsonWebhookServer.start(
      {
        "/authenticate": (body) => self!.review(body as TokenReview),
        // For people at a shell during `impfuzz cluster up`: POST an identity, get a token. Loopback only.
        "/mint": (body) => ({ token: self!.mint(identityFromJson(body)) }),
      },
      host,
    );
    self = new TokenAuthenticator(server);
    return self;
  }

  get url(): string {
    return this.server.url;
  }

  get mintUrl(): string {
    return this.server.url.replace(/\/authenticate$/, "/mint");
  }

  get reviewCount(): number {
    return this.reviews;
  }

  mint(identity: UserInfo): string {
    const token = `impfuzz-${randomBytes(24).toString("base64url")}`;
    this.identities.set(token, identity);
    return token;
  }

  /** Forget a token: later requests with it get 401, as with a revoked credential. */
  revoke(token: string): void {
    this.identities.delete(token);
  }

  private review(body: TokenReview): unknown {
    this.reviews++;
    const identity = this.identities.get(body.spec?.token ?? "");
    const envelope = { apiVersion: "authentication.k8s.io/v1", kind: "TokenReview" };
    if (!identity) return { ...envelope, status: { authenticated: false, error: "unknown token" } };
    const user: Record<string, unknown> = { username: identity.username };
    if (identity.uid) user.uid = identity.uid;
    if (identity.groups.length) user.groups = identity.groups;
    if (Object.keys(identity.extra).length) user.extra = identity.extra;
    return { ...envelope, status: { authenticated: true, user } };
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

function identityFromJson(body: unknown): UserInfo {
  const b = (body ?? {}) as Partial<Record<keyof UserInfo, unknown>>;
  if (typeof b.username !== "string" || !b.username) throw new Error('mint needs {"username": "..."}');
  return {
    username: b.username,
    uid: typeof b.uid === "string" ? b.uid : "",
    groups: Array.isArray(b.groups) ? b.groups.map(String) : [],
    extra: (b.extra && typeof b.extra === "object" ? b.extra : {}) as UserInfo["extra"],
  };
}
