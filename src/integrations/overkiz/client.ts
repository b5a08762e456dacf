import { z } from 'zod';
import { AuthError, HubError } from '../../core/errors';
import type { HttpClient, RequestOptions } from '../../core/http';
import { classifyOverkizError } from './errors';
import { type OverkizCommand, overkizDeviceSchema, setupSchema } from './schemas';

export type OverkizLogin =
  { userId: string; userPassword: string } | { userId: string; ssoToken: string } | { accessToken: string } | { jwt: string };

const eventsSchema = z.array(z.object({ name: z.string() }).passthrough());
export type OverkizEvent = z.output<typeof eventsSchema>[number];

/**
 * The Overkiz end-user API. Cloud accounts log in with a form and keep the session cookie (a small jar: the server
 * sets JSESSIONID, and may add others); local gateways take a Bearer token and no login.
 */
export class OverkizClient {
  private readonly jar = new Map<string, string>();

  constructor(
    private readonly http: HttpClient,
    private readonly auth: { login?: OverkizLogin; bearer?: string; setupOID?: string },
  ) {}

  get needsLogin(): boolean {
    return this.auth.login !== undefined;
  }

  get hasSession(): boolean {
    return !this.needsLogin || this.jar.size > 0;
  }

  dropSession(): void {
    this.jar.clear();
  }

  private headers(): Record<string, string> {
    if (this.auth.bearer) return { authorization: `Bearer ${this.auth.bearer}` };
    return this.jar.size ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  private async call<T>(req: RequestOptions<T>): Promise<T> {
    try {
      return (await this.http.request({ ...req, headers: { ...this.headers(), ...req.headers } })).data;
    } catch (err) {
      throw err instanceof HubError ? classifyOverkizError(err) : err;
    }
  }

  async login(signal?: AbortSignal): Promise<void> {
    if (!this.auth.login) return;
    this.jar.clear();
    const form: Record<string, string> = { ...this.auth.login, ...(this.auth.setupOID ? { setupOID: this.auth.setupOID } : {}) };
    let res;
    try {
      res = await this.http.request({
        method: 'POST',
        path: '/login',
        body: { form },
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
