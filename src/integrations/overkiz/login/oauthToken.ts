import { z } from 'zod';
import { AuthError, HubError, ProtocolError } from '../../../core/errors';
import type { HttpClient } from '../../../core/http';

const tokenSchema = z
  .object({
    access_token: z.string().min(1).optional(),
    /** Somfy answers a refused grant with `{message: "error.invalid.grant"}`, OAuth services with `{error}`. */
    error: z.string().optional(),
    message: z.string().optional(),
    refresh_token: z.string().optional(),
    expires_in: z.coerce.number().positive().optional(),
  })
  .passthrough();

/** A token is refreshed this long before it expires (a request must not meet an expired token on its way). */
export const REFRESH_SKEW_MS = 60_000;
/** Token services that do not say how long a token lives: assume an hour. */
const DEFAULT_LIFETIME_MS = 3_600_000;

export interface OAuthTokenOptions {
  brand: string;
  url: string;
  /** `Authorization: Basic …` (Atlantic), or client id and secret in the form (Somfy), or a public client id. */
  client: { basic: string } | { id: string; secret?: string; scope?: string };
  /** The password grant's fields; absent: only a refresh token given in the config (Rexel). */
  password?: { username: string; password: string };
  refreshToken?: string;
  /**
   * Where a rotated refresh token is kept (owner-only, under the storage dir): services that hand out a new one at
   * each refresh and revoke the old one (Rexel) would refuse the configured one after a restart.
   */
  store?: { load(): string | undefined; save(refreshToken: string): void };
  now: () => number;
}

/**
 * An OAuth2 token from a brand's token service: the password grant first, then the refresh grant shortly before it
 * expires (a refused refresh falls back to the password grant). One request at a time; `invalid_grant` is a wrong
 * e-mail or password (AuthError naming the brand), never retried in a loop.
 */
export class OAuthToken {
  private token?: { access: string; refresh?: string; expiresAt: number };
  private inFlight?: Promise<string>;

  constructor(
    private readonly http: HttpClient,
    private readonly opts: OAuthTokenOptions,
  ) {
    const refresh = opts.store?.load() ?? opts.refreshToken;
    if (refresh) this.token = { access: '', refresh, expiresAt: 0 };
  }

  /** Forgets the access token (a server refused it): the next `get` refreshes or logs in again. */
  invalidate(): void {
    if (this.token) this.token = { ...this.token, access: '', expiresAt: 0 };
  }

  get(signal?: AbortSignal): Promise<string> {
    if (this.token?.access && this.opts.now() < this.token.expiresAt - REFRESH_SKEW_MS) return Promise.resolve(this.token.access);
    this.inFlight ??= this.renew(signal).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async renew(signal?: AbortSignal): Promise<string> {
    const refresh = this.token?.refresh;
    if (refresh) {
      try {
        return await this.grant({ grant_type: 'refresh_token', refresh_token: refresh }, signal);
      } catch (err) {
        if (!(err instanceof AuthError) || !this.opts.password) throw err;
      }
    }
    if (!this.opts.password) throw new AuthError(`${this.opts.brand} refused the refresh token: give a new one`);
    const { username, password } = this.opts.password;
    return this.grant({ grant_type: 'password', username, password }, signal);
  }

  private async grant(fields: Record<string, string>, signal?: AbortSignal): Promise<string> {
    const { client } = this.opts;
    const form: Record<string, string> = { ...fields };
    if ('id' in client) {
      form.client_id = client.id;
      if (client.secret) form.client_secret = client.secret;
      if (client.scope) form.scope = client.scope;
    }
    let res;
    try {
      res = await this.http.request({
        method: 'POST',
        path: this.opts.url,
        body: { form },
        headers: 'basic' in client ? { authorization: `Basic ${client.basic}` } : {},
        schema: tokenSchema,
        signal,
      });
    } catch (err) {
      if (err instanceof HubError && REFUSED.test(err.detail ?? '')) throw this.refused(err.status);
      throw err;
    }
    const t = res.data;
    if (!t.access_token) {
      if (REFUSED.test(`${t.error ?? ''} ${t.message ?? ''}`)) throw this.refused(res.status);
      throw new ProtocolError(`${this.opts.brand}'s token service gave no access token`);
    }
    this.http.redactor.add(t.access_token);
    this.http.redactor.add(t.refresh_token);
    const lifetime = t.expires_in !== undefined ? t.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    this.token = { access: t.access_token, refresh: t.refresh_token ?? fields.refresh_token, expiresAt: this.opts.now() + lifetime };
    if (t.refresh_token && t.refresh_token !== fields.refresh_token) this.opts.store?.save(t.refresh_token);
    return t.access_token;
  }

  private refused(status?: number): AuthError {
    const what = this.opts.password ? 'the e-mail or password' : 'the refresh token';
    return new AuthError(`${this.opts.brand} refused ${what}: check it in the plugin settings`, status);
  }
}

const REFUSED = /invalid_grant|invalid\.grant|invalid_client|invalid_request/;
