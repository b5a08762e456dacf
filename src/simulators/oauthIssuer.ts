import { randomUUID } from 'node:crypto';

/** Tokens of a simulated OAuth2 service: access tokens that expire on the simulator's clock, refresh tokens. */
export class OAuthIssuer {
  private readonly access = new Map<string, number>(); // token -> expires at
  private readonly refresh = new Set<string>();
  /** Grants answered, by type: tests count refreshes and password grants. */
  readonly grants: string[] = [];

  constructor(
    private readonly now: () => number,
    private readonly lifetimeS: number,
  ) {}

  issue(grant: string): { access_token: string; refresh_token: string; token_type: 'Bearer'; expires_in: number } {
    this.grants.push(grant);
    const access_token = `at-${randomUUID()}`;
    const refresh_token = `rt-${randomUUID()}`;
    this.access.set(access_token, this.now() + this.lifetimeS * 1000);
    this.refresh.add(refresh_token);
    return { access_token, refresh_token, token_type: 'Bearer', expires_in: this.lifetimeS };
  }

  /** A refresh token is used once: it gives a new pair. */
  useRefresh(token: string): boolean {
    return this.refresh.delete(token);
  }

  valid(token: string | undefined): boolean {
    const expiresAt = token === undefined ? undefined : this.access.get(token);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  /** Every issued token expires now (the service revoked them). */
  revokeAll(): void {
    this.access.clear();
  }
}

export const bearerOf = (authorization: string | string[] | undefined) => /^Bearer (.+)$/.exec(String(authorization ?? ''))?.[1];
