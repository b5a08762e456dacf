import { SimulatorServer, type SimRequest, type SimResponse, VendorSimulator } from './base';
import { OAuthIssuer } from './oauthIssuer';

export const SOMFY_CLIENT_ID = '0d8e920c-1478-11e7-a377-02dd59bd3041_1ewvaqmclfogo4kcsoo0c8k4kso884owg08sg8c40sk4go4ksg';
export const SOMFY_CLIENT_SECRET = '12k73w1n540g8o4cokg0cw84cog840k84cwggscwg884004kgk';

/**
 * Somfy's accounts service (accounts.somfy.com) as the TaHoma app uses it: an OAuth2 password or refresh grant at
 * /oauth/oauth/v2/token/jwt with the app's client id and secret in the form. A wrong password is
 * `{message: "error.invalid.grant"}`; `formOnly`: an account that only takes the older form login.
 */
export class SomfyAuthSimulator extends VendorSimulator {
  readonly server = new SimulatorServer();
  protected readonly basePath = '';
  readonly tokens: OAuthIssuer;

  constructor(private readonly opts: { email: string; password: string; now?: () => number; lifetimeS?: number; formOnly?: boolean }) {
    super();
    this.server.now = () => this.now();
    this.tokens = new OAuthIssuer(() => this.now(), opts.lifetimeS ?? 3600);
    this.server.route('POST', '/oauth/oauth/v2/token/jwt', (req) => this.token(req));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private token(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.body.toString('utf8'));
    if (form.get('client_id') !== SOMFY_CLIENT_ID || form.get('client_secret') !== SOMFY_CLIENT_SECRET)
      return { status: 401, json: { message: 'error.invalid.client' } };
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') {
      if (!this.tokens.useRefresh(form.get('refresh_token') ?? '')) return { status: 400, json: { message: 'error.invalid.grant' } };
      return { json: this.tokens.issue('refresh_token') };
    }
    const ok = grant === 'password' && form.get('username') === this.opts.email && form.get('password') === this.opts.password;
    if (!ok || this.opts.formOnly) return { status: 400, json: { message: 'error.invalid.grant' } };
    return { json: this.tokens.issue('password') };
  }
}
