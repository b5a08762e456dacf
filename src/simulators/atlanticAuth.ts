import { SimulatorServer, type SimRequest, type SimResponse, VendorSimulator } from './base';
import { bearerOf, OAuthIssuer } from './oauthIssuer';

/** The public client of Atlantic's app, as its token service checks it (Basic auth). */
export const ATLANTIC_CLIENT_BASIC = 'Q3RfMUpWeVRtSUxYOEllZkE3YVVOQmpGblpVYToyRWNORHpfZHkzNDJVSnFvMlo3cFNKTnZVdjBh';

/**
 * Atlantic's token service and account API (apis.groupe-atlantic.com) as the Cozytouch login uses them: a password
 * grant for "GA-PRIVATEPERSON/<e-mail>" with the app's Basic client auth (form-encoded), then the account's JWT
 * (a quoted string) for a valid Bearer. A wrong password is `400 {error: "invalid_grant"}`.
 */
export class AtlanticAuthSimulator extends VendorSimulator {
  readonly server = new SimulatorServer();
  protected readonly basePath = '';
  readonly tokens: OAuthIssuer;
  /** JWTs handed out; the Overkiz simulator accepts them at /login. */
  readonly jwts = new Set<string>();

  constructor(private readonly opts: { email: string; password: string; now?: () => number; lifetimeS?: number }) {
    super();
    this.server.now = () => this.now();
    this.tokens = new OAuthIssuer(() => this.now(), opts.lifetimeS ?? 3600);
    this.server.route('POST', '/token', (req) => this.token(req));
    this.server.route('GET', '/magellan/accounts/jwt', (req) => this.jwt(req));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private token(req: SimRequest): SimResponse {
    if (req.headers.authorization !== `Basic ${ATLANTIC_CLIENT_BASIC}`) return { status: 401, json: { error: 'invalid_client' } };
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return { status: 415, json: { error: 'invalid_request' } };
    const form = new URLSearchParams(req.body.toString('utf8'));
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') {
      if (!this.tokens.useRefresh(form.get('refresh_token') ?? '')) return { status: 400, json: { error: 'invalid_grant' } };
      return { json: { ...this.tokens.issue('refresh_token'), scope: 'openid' } };
    }
    if (grant !== 'password') return { status: 400, json: { error: 'unsupported_grant_type' } };
    if (form.get('username') !== `GA-PRIVATEPERSON/${this.opts.email}` || form.get('password') !== this.opts.password)
      return { status: 400, json: { error: 'invalid_grant', error_description: 'Provided Authorization Grant is invalid.' } };
    return { json: { ...this.tokens.issue('password'), scope: 'openid' } };
  }

  private jwt(req: SimRequest): SimResponse {
    if (!this.tokens.valid(bearerOf(req.headers.authorization))) return { status: 401, json: { error: 'invalid_token' } };
    const claims = Buffer.from(JSON.stringify({ sub: this.opts.email, n: this.jwts.size })).toString('base64url');
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${claims}.sig`;
    this.jwts.add(jwt);
    return { text: JSON.stringify(jwt), headers: { 'content-type': 'text/plain' } };
  }
}
