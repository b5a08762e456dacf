import { z } from 'zod';
import { AuthError, HubError } from '../../core/errors';
import type { HttpClient, RequestOptions } from '../../core/http';
import { classifyOverkizError } from './errors';
import type { LoginStrategy } from './login/strategy';
import { type OverkizCommand, overkizDeviceSchema, setupSchema } from './schemas';

const eventsSchema = z.array(z.object({ name: z.string() }).passthrough());
export type OverkizEvent = z.output<typeof eventsSchema>[number];

export interface OverkizAuth {
  /** How the account logs in (login/); absent: a local gateway's token, sent as Bearer, no login. */
  strategy?: LoginStrategy;
  /** A local gateway's token. */
  bearer?: string;
  setupOID?: string;
  /** Sent on every request (Rexel's proxy takes the gateway in a `gatewayId` header). */
  headers?: Record<string, string>;
}

/**
 * The Overkiz end-user API. A form login keeps the session cookie (a small jar: the server sets JSESSIONID, and may
 * add others); a Bearer session (Somfy OAuth, Rexel, a local gateway) sends its token and never a cookie: the server
 * refuses a request that carries both.
 */
export class OverkizClient {
  private readonly jar = new Map<string, string>();
  private bearerSession = false;

  constructor(
    private readonly http: HttpClient,
    private readonly auth: OverkizAuth,
  ) {}

  get needsLogin(): boolean {
    return this.auth.strategy !== undefined;
  }

  get hasSession(): boolean {
    return !this.needsLogin || this.bearerSession || this.jar.size > 0;
  }

  dropSession(): void {
    this.jar.clear();
    this.bearerSession = false;
  }

  private async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    const fixed = this.auth.headers ?? {};
    if (this.auth.bearer) return { ...fixed, authorization: `Bearer ${this.auth.bearer}` };
    if (this.bearerSession && this.auth.strategy?.bearer)
      return { ...fixed, authorization: `Bearer ${await this.auth.strategy.bearer(signal)}` };
    return this.jar.size ? { ...fixed, cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : fixed;
  }

  private async call<T>(req: RequestOptions<T>): Promise<T> {
    try {
      return (await this.http.request({ ...req, headers: { ...(await this.headers(req.signal)), ...req.headers } })).data;
    } catch (err) {
      throw err instanceof HubError ? classifyOverkizError(err) : err;
    }
  }

  async login(signal?: AbortSignal): Promise<void> {
    const strategy = this.auth.strategy;
    if (!strategy) return;
    this.dropSession();
    let opener;
    try {
      opener = await strategy.open(signal);
    } catch (err) {
      throw err instanceof HubError ? classifyOverkizError(err) : err;
    }
    if ('bearer' in opener) {
      this.http.redactor.add(opener.bearer);
      this.bearerSession = true;
      return;
    }
    const form: Record<string, string> = { ...opener.form, ...(this.auth.setupOID ? { setupOID: this.auth.setupOID } : {}) };
    let res;
    try {
      res = await this.http.request({
        method: 'POST',
        path: '/login',
        body: { form },
        headers: this.auth.headers,
        schema: z.object({ success: z.boolean() }).passthrough(),
        signal,
      });
    } catch (err) {
      throw err instanceof HubError ? classifyOverkizError(err) : err;
    }
    const cookies = res.headers['set-cookie'];
    for (const c of Array.isArray(cookies) ? cookies : cookies ? [cookies] : []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      if (i <= 0) continue;
      const value = pair.slice(i + 1).trim();
      this.jar.set(pair.slice(0, i).trim(), value);
      this.http.redactor.add(value); // the session cookie is a secret too
    }
    if (!res.data.success || this.jar.size === 0) throw new AuthError('login refused: the server did not open a session');
  }

  setup(signal?: AbortSignal) {
    return this.call({ path: '/setup', schema: setupSchema, signal });
  }

  /** Every device with its states (quota: once a day, like /setup). */
  devices(signal?: AbortSignal) {
    return this.call({ path: '/setup/devices', schema: z.array(overkizDeviceSchema), signal });
  }

  /** One device's states (no quota). */
  states(deviceURL: string, signal?: AbortSignal) {
    return this.call({
      path: `/setup/devices/${encodeURIComponent(deviceURL)}/states`,
      schema: z.array(z.object({ name: z.string(), value: z.unknown() }).passthrough()),
      signal,
    });
  }

  async register(signal?: AbortSignal): Promise<string> {
    return (await this.call({ method: 'POST', path: '/events/register', schema: z.object({ id: z.string() }), signal })).id;
  }

  fetch(listenerId: string, signal?: AbortSignal) {
    return this.call({
      method: 'POST',
      path: `/events/${encodeURIComponent(listenerId)}/fetch`,
      schema: eventsSchema,
      retry: false,
      signal,
    });
  }

  /**
   * One execution with one action per device. Never retried here: it moves things. `highPriority`:
   * /exec/apply/highPriority, which may override a user-level priority lock (see priorityLock.ts).
   */
  async apply(
    actions: Array<{ deviceURL: string; commands: OverkizCommand[] }>,
    signal?: AbortSignal,
    highPriority = false,
  ): Promise<string> {
    const body = {
      label: 'Building Hub',
      actions: actions.map((a) => ({ deviceURL: a.deviceURL, commands: a.commands.map((c) => ({ type: 1, ...c })) })),
    };
    return (
      await this.call({
        method: 'POST',
        path: highPriority ? '/exec/apply/highPriority' : '/exec/apply',
        body: { json: body },
        schema: z.object({ execId: z.string() }),
        retry: false,
        signal,
      })
    ).execId;
  }

  /**
   * A local API token for the gateway `pin`, made through this cloud session as the Overkiz app does in developer
   * mode: generated, then activated with scope "devmode". It opens the gateway's local API with no cloud at all.
   */
  async createLocalToken(pin: string, signal?: AbortSignal): Promise<string> {
    const path = `/config/${encodeURIComponent(pin)}/local/tokens`;
    const { token } = await this.call({ path: `${path}/generate`, schema: z.object({ token: z.string().min(1) }), signal });
    this.http.redactor.add(token);
    await this.call({
      method: 'POST',
      path,
      body: { json: { label: 'Homebridge Building Hub', token, scope: 'devmode' } },
      schema: z.object({ requestId: z.string().optional() }).passthrough(),
      retry: false,
      signal,
    });
    return token;
  }

  cancel(execId: string, signal?: AbortSignal) {
    return this.call({ method: 'DELETE', path: `/exec/current/setup/${encodeURIComponent(execId)}`, retry: false, signal });
  }

  actionGroups(signal?: AbortSignal) {
    return this.call({
      path: '/actionGroups',
      schema: z.array(z.object({ oid: z.string(), label: z.string().default('Scenario') }).passthrough()),
      signal,
    });
  }

  async runActionGroup(oid: string, signal?: AbortSignal): Promise<string> {
    return (
      await this.call({
        method: 'POST',
        path: `/exec/${encodeURIComponent(oid)}`,
        schema: z.object({ execId: z.string() }),
        retry: false,
        signal,
      })
    ).execId;
  }
}

/** What the integration uses of a client: one Overkiz server, or the local gateway with the cloud behind it. */
export type OverkizApi = Pick<
  OverkizClient,
  | 'needsLogin'
  | 'hasSession'
  | 'dropSession'
  | 'login'
  | 'setup'
  | 'devices'
  | 'states'
  | 'register'
  | 'fetch'
  | 'apply'
  | 'cancel'
  | 'actionGroups'
  | 'runActionGroup'
>;
