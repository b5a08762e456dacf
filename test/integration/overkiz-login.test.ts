import { overkizAccountSchema } from '../../src/integrations/overkiz/account';
import { OverkizIntegration } from '../../src/integrations/overkiz/integration';
import { AtlanticAuthSimulator } from '../../src/simulators/atlanticAuth';
import { OverkizSimulator } from '../../src/simulators/overkiz';
import { RexelAuthSimulator } from '../../src/simulators/rexelAuth';
import { SomfyAuthSimulator } from '../../src/simulators/somfyAuth';
import type { SimulatorServer } from '../../src/simulators/base';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';
import { shutters } from '../helpers/overkizFixture';
import { tempDir } from '../helpers/tempDir';

const EMAIL = 'me@example.org';
const PASSWORD = 'brand-p@ss-1';
const HOUR = 60 * 60_000;

/** An Overkiz server and a brand's login service on one manual clock, and an account of that brand pointed at both. */
async function start(
  brand: 'cozytouch' | 'somfy',
  opts: {
    password?: string;
    lifetimeS?: number;
    formOnly?: boolean;
    overkiz?: Partial<ConstructorParameters<typeof OverkizSimulator>[0]>;
    account?: Record<string, unknown>;
  } = {},
) {
  const clock = new ManualClock();
  const now = () => clock.now();
  const atlantic =
    brand === 'cozytouch' ? new AtlanticAuthSimulator({ email: EMAIL, password: PASSWORD, now, lifetimeS: opts.lifetimeS }) : undefined;
  const somfy =
    brand === 'somfy'
      ? new SomfyAuthSimulator({ email: EMAIL, password: PASSWORD, now, lifetimeS: opts.lifetimeS, formOnly: opts.formOnly })
      : undefined;
  const overkiz = new OverkizSimulator({
    userId: EMAIL,
    password: PASSWORD,
    devices: shutters(2),
    now,
    acceptJwt: atlantic ? (jwt) => atlantic.jwts.has(jwt) : undefined,
    acceptBearer: somfy ? (token) => somfy.tokens.valid(token) : undefined,
    ...opts.overkiz,
  });
  const auth = (atlantic ?? somfy)!;
  await Promise.all([overkiz.start(), auth.start()]);
  const log = new CapturedLog();
  const account = overkizAccountSchema.parse({
    label: 'Flat',
    server: brand === 'cozytouch' ? 'atlantic_cozytouch' : 'somfy_europe',
    baseUrl: overkiz.url,
    username: EMAIL,
    password: opts.password ?? PASSWORD,
    ...(atlantic ? { atlanticApiUrl: auth.server.url } : { somfyAccountsUrl: auth.server.url }),
    ...opts.account,
  });
  const integration = new OverkizIntegration(account, { log, clock, storagePath: tempDir('okz-login') });
  const servers: SimulatorServer[] = [overkiz.server, auth.server];
  clock.busy = () => servers.some((s) => s.inFlight > 0) || integration.http.inFlight > 0;
  const abort = new AbortController();
  await integration.start(abort.signal);
  const requests = (s: SimulatorServer, path: string) => s.requests.filter((r) => r.path.endsWith(path));
  return {
    clock,
    overkiz,
    atlantic,
    somfy,
    auth,
    log,
    integration,
    requests,
    async stop() {
      abort.abort();
      await Promise.all([overkiz.stop(), auth.stop()]);
    },
  };
}

type T = Awaited<ReturnType<typeof start>>;
/** Login tries over the run, in minutes since the first (what the retry schedule promises). */
const minutesOf = (at: number[]) => at.map((a) => Math.round((a - at[0]) / 60_000));
const neverBoth = (t: T) =>
  expect(t.overkiz.server.requests.filter((r) => r.headers.authorization && r.headers.cookie).map((r) => r.path)).toEqual([]);

describe('Atlantic Cozytouch login (e-mail and password only)', () => {
  it('password grant for GA-PRIVATEPERSON/<e-mail>, the account JWT, then /login with jwt: devices published', async () => {
    const t = await start('cozytouch');
    try {
      const [grant] = t.requests(t.auth.server, '/token');
      expect(grant.headers.authorization).toMatch(/^Basic Q3Rf/);
      expect(new URLSearchParams(grant.body).get('username')).toBe(`GA-PRIVATEPERSON/${EMAIL}`);
      expect(t.requests(t.auth.server, '/magellan/accounts/jwt')).toHaveLength(1);
      const [login] = t.requests(t.overkiz.server, '/login');
      expect([...new URLSearchParams(login.body).keys()]).toEqual(['jwt']);
      expect(t.integration.devices()).toHaveLength(2);
      neverBoth(t);
      expect(t.log.text()).not.toContain(PASSWORD);
      expect(t.log.text()).not.toContain([...t.atlantic!.jwts][0]);
    } finally {
      await t.stop();
    }
  });

  it('a new session inside the token lifetime reuses the token; after it, exactly one refresh (no password grant)', async () => {
    const t = await start('cozytouch', { lifetimeS: 1800, account: { idlePollSeconds: 10 } });
    try {
      await t.clock.advance(3000);
      t.overkiz.expireSessions();
      await t.clock.advance(12_000);
      expect(t.atlantic!.tokens.grants).toEqual(['password']);
      expect(t.requests(t.overkiz.server, '/login')).toHaveLength(2);
      await t.clock.advance(30 * 60_000);
      t.overkiz.expireSessions();
      await t.clock.advance(12_000);
      expect(t.atlantic!.tokens.grants).toEqual(['password', 'refresh_token']);
      expect(t.requests(t.auth.server, '/magellan/accounts/jwt')).toHaveLength(3);
      expect(t.integration.devices().every((d) => d.available)).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('a wrong password over 24 h: tries at 0, 5, 20, 50 min then every 6 h, each line naming the brand; Overkiz never asked', async () => {
    const t = await start('cozytouch', { password: 'wrong-pass-9' });
    try {
      await t.clock.advance(24 * HOUR);
      expect(minutesOf(t.requests(t.auth.server, '/token').map((r) => r.at))).toEqual([0, 5, 20, 50, 410, 770, 1130]);
      expect(t.overkiz.server.requests).toHaveLength(0);
      const lines = t.log.matching(/Atlantic Cozytouch refused the e-mail or password/, 'error');
      expect(lines).toHaveLength(7);
      expect(lines[0]).toMatch(/\[Overkiz\] Flat/);
      expect(t.log.text()).not.toContain('wrong-pass-9');
    } finally {
      await t.stop();
    }
  });

  it('banned by Overkiz after the JWT: no request to either service for an hour', async () => {
    const banned = JSON.stringify({ errorCode: 'UNSPECIFIED_ERROR', error: 'Too many attempts with an invalid token, temporarily banned' });
    const t = await start('cozytouch', { overkiz: { loginFault: { status: 401, body: banned } } });
    try {
      const before = t.auth.server.requests.length + t.overkiz.server.requests.length;
      await t.clock.advance(59 * 60_000);
      expect(t.auth.server.requests.length + t.overkiz.server.requests.length).toBe(before);
    } finally {
      await t.stop();
    }
  });
});

describe('Somfy Europe login (OAuth2 Bearer)', () => {
  it('a password grant, then Bearer on every request, never a cookie and no /login', async () => {
    const t = await start('somfy');
    try {
      const [grant] = t.requests(t.auth.server, '/oauth/oauth/v2/token/jwt');
      const form = new URLSearchParams(grant.body);
      expect([form.get('grant_type'), form.get('username')]).toEqual(['password', EMAIL]);
      expect(t.requests(t.overkiz.server, '/login')).toHaveLength(0);
      expect(t.overkiz.server.requests.length).toBeGreaterThan(1);
      expect(t.overkiz.server.requests.every((r) => /^Bearer at-/.test(String(r.headers.authorization)))).toBe(true);
      neverBoth(t);
      expect(t.integration.devices()).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });

  it('the token is refreshed before it expires: exactly one refresh grant, no request meets an expired token', async () => {
    const t = await start('somfy', { lifetimeS: 600, account: { idlePollSeconds: 10 } });
    try {
      await t.clock.advance(11 * 60_000);
      expect(t.somfy!.tokens.grants).toEqual(['password', 'refresh_token']);
      expect(t.overkiz.server.requests.filter((r) => r.status === 401)).toHaveLength(0);
      // refreshed ahead of the expiry (a request in flight, or a server clock a little ahead, must not meet it)
      const [issued, refreshed] = t.requests(t.auth.server, '/oauth/oauth/v2/token/jwt').map((r) => r.at);
      expect(refreshed - issued).toBeLessThanOrEqual(600_000 - 30_000);
    } finally {
      await t.stop();
    }
  });

  it('a token the server no longer takes -> exactly one refresh, then the events flow again', async () => {
    const t = await start('somfy');
    try {
      await t.clock.advance(3000);
      t.somfy!.tokens.revokeAll();
      t.overkiz.server.resetLog();
      await t.clock.advance(10_000);
      expect(t.somfy!.tokens.grants).toEqual(['password', 'refresh_token']);
      expect(t.overkiz.server.requests.filter((r) => r.status === 401)).toHaveLength(1);
      expect(t.requests(t.overkiz.server, '/fetch').filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
    } finally {
      await t.stop();
    }
  });

  it('an account the accounts service refuses but Overkiz takes with the form login still works (cookie, no Bearer)', async () => {
    const t = await start('somfy', { formOnly: true });
    try {
      expect(t.requests(t.overkiz.server, '/login')).toHaveLength(1);
      expect(t.integration.devices()).toHaveLength(2);
      expect(t.overkiz.server.requests.filter((r) => r.headers.authorization)).toHaveLength(0);
      expect(t.log.matching(/trying the older form login/)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('a wrong password over 24 h follows the retry schedule (each try: the OAuth grant, then the form login)', async () => {
    const t = await start('somfy', { password: 'wrong-pass-8' });
    try {
      await t.clock.advance(24 * HOUR);
      expect(minutesOf(t.requests(t.auth.server, '/oauth/oauth/v2/token/jwt').map((r) => r.at))).toEqual([0, 5, 20, 50, 410, 770, 1130]);
      expect(t.requests(t.overkiz.server, '/login')).toHaveLength(7);
      expect(t.log.text()).not.toContain('wrong-pass-8');
    } finally {
      await t.stop();
    }
  });
});

describe('Rexel Energeasy Connect (the token of its browser consent)', () => {
  it('the refresh token gives a Bearer for its proxy, with the gatewayId header on every request', async () => {
    const clock = new ManualClock();
    const rexel = new RexelAuthSimulator({ now: () => clock.now() });
    const overkiz = new OverkizSimulator({
      userId: EMAIL,
      password: PASSWORD,
      devices: shutters(1),
      now: () => clock.now(),
      gatewayHeader: '1234-5678-9012',
      acceptBearer: (token) => rexel.tokens.valid(token),
    });
    await Promise.all([overkiz.start(), rexel.start()]);
    const abort = new AbortController();
    try {
      const account = overkizAccountSchema.parse({
        label: 'Rexel',
        server: 'rexel',
        baseUrl: overkiz.url,
        refreshToken: rexel.seedRefresh(),
        gatewayId: '1234-5678-9012',
        rexelTokenUrl: rexel.url,
      });
      const log = new CapturedLog();
      const storagePath = tempDir('okz-rexel');
      const integration = new OverkizIntegration(account, { log, clock, storagePath });
      clock.busy = () => overkiz.server.inFlight > 0 || rexel.server.inFlight > 0 || integration.http.inFlight > 0;
      await integration.start(abort.signal);
      expect(integration.devices()).toHaveLength(1);
      expect(rexel.tokens.grants).toEqual(['consent', 'refresh_token']);
      expect(overkiz.server.requests.every((r) => r.headers.gatewayid === '1234-5678-9012' && !r.headers.cookie)).toBe(true);
      expect(log.text()).not.toMatch(/\brt-|\bat-/);
      abort.abort();
      // Rexel revoked the configured refresh token when it gave a new one: a restart uses the newest (kept 0600)
      const again = new OverkizIntegration(account, { log: new CapturedLog(), clock, storagePath });
      const abort2 = new AbortController();
      clock.busy = () => overkiz.server.inFlight > 0 || rexel.server.inFlight > 0 || again.http.inFlight > 0;
      await again.start(abort2.signal);
      abort2.abort();
      expect(rexel.tokens.grants).toEqual(['consent', 'refresh_token', 'refresh_token']);
      expect(again.devices().every((d) => d.available)).toBe(true);
    } finally {
      abort.abort();
      await Promise.all([overkiz.stop(), rexel.stop()]);
    }
  });
});

describe('brands whose login a plugin cannot do by itself', () => {
  it('Nexity without an ssoToken and Rexel without its consent token are refused with a line naming the brand', () => {
    const nexity = overkizAccountSchema.safeParse({ server: 'nexity', username: EMAIL, password: PASSWORD });
    expect(nexity.success).toBe(false);
    expect(JSON.stringify(nexity.error?.issues)).toMatch(/Nexity Eugénie logs in through Amazon Cognito/);
    const rexel = overkizAccountSchema.safeParse({ server: 'rexel', username: EMAIL, password: PASSWORD });
    expect(JSON.stringify(rexel.error?.issues)).toMatch(/Rexel Energeasy Connect logs in on a browser consent page/);
    expect(overkizAccountSchema.safeParse({ server: 'rexel', refreshToken: 'rt-1', gatewayId: '1234-5678-9012' }).success).toBe(true);
  });
});
