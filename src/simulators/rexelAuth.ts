import { SimulatorServer, type SimRequest, type SimResponse, VendorSimulator } from './base';
import { OAuthIssuer } from './oauthIssuer';

export const REXEL_CLIENT_ID = '2b635ede-c3fb-43bc-8d23-f6d17f80e96d';

/**
 * Rexel's Azure AD B2C token endpoint, for the part a plugin can do: the refresh grant (the consent itself happens in
 * a browser). It checks the public client id and the scope; `seedRefresh` is the token the browser consent gave.
 */
export class RexelAuthSimulator extends VendorSimulator {
  readonly server = new SimulatorServer();
  protected readonly basePath = '/oauth2/v2.0/token';
  readonly tokens: OAuthIssuer;

  constructor(opts: { now?: () => number; lifetimeS?: number }) {
    super();
    const now = opts.now ?? Date.now;
    this.server.now = now;
    this.tokens = new OAuthIssuer(now, opts.lifetimeS ?? 3600);
    this.server.route('POST', this.basePath, (req) => this.token(req));
  }

  /** The refresh token a browser consent would have given the user. */
  seedRefresh(): string {
    return this.tokens.issue('consent').refresh_token;
  }

  private token(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (form.get('client_id') !== REXEL_CLIENT_ID || !form.get('scope')?.includes('ExternalProvider'))
      return { status: 400, json: { error: 'invalid_client' } };
    if (form.get('grant_type') !== 'refresh_token' || !this.tokens.useRefresh(form.get('refresh_token') ?? ''))
      return { status: 400, json: { error: 'invalid_grant', error_description: 'AADB2C90080: The provided grant has expired.' } };
    return { json: this.tokens.issue('refresh_token') };
  }
}
