import type { Clock } from '../../core/clock';
import { AuthError, ProtocolError, RejectedError } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import { z } from 'zod';
import { contractsSchema, devicesSchema, historicsSchema, realtimeSchema } from './schemas';

/** The `error` field of a JSON reply, as text; undefined when there is none (or it is empty/false). */
export function errorText(json: unknown): string | undefined {
  const error = json && typeof json === 'object' ? (json as { error?: unknown }).error : undefined;
  if (error === undefined || error === null || error === false || error === '') return undefined;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/**
 * An error text that explicitly refuses the account (HTTP 401/403 are auth errors whatever the text). Only wording
 * about credentials counts: "session", "identifiant" or "token" alone also name devices and tags
 * ("deviceIdentifiant"), so they are not read as a refused login.
 */
const REFUSED_CREDENTIALS = new RegExp(
  `\\b(?:${[
    'password',
    'mot de passe',
    'unauthori[sz]ed',
    'authentication',
    'authentification',
    'non authentifi\\w*',
    'invalid credentials',
    'identifiants? (?:incorrects?|invalides?)',
    'wrong (?:username|login)',
  ].join('|')})\\b`,
  'i',
);

export function refusesAccount(why: string): boolean {
  return REFUSED_CREDENTIALS.test(why);
}

/** The reply of a tag write: nothing when accepted; a RejectedError with the vendor's text when refused. */
export function writeVerdict(text: string): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return; // empty or plain text ("OK"): the 200 is the answer
  }
  const why = errorText(json);
  if (why === undefined) return;
  // A refused session wrote nothing: the caller logs in again with the password, once.
  if (refusesAccount(why)) throw new AuthError(`BAXO refused the account: ${why}`);
  throw new RejectedError(`BAXO refused the write: ${why}`);
}

/** Repairs the doc's malformed row `"deviceIdentifiant","device2",` into a key/value pair, nothing else. */
export function repairRealtimeJson(text: string): string {
  return text.replace(/"(deviceIdentifi(?:er|ant))"\s*,\s*"/g, '"$1":"');
}

/**
 * BAXO Connect (k1). Credentials go in a POST body, never in the URL. The password is needed once a day: it is sent
 * with the first request of the (UTC) day and again after an authentication failure, not with every call.
 */
export class BaxoClient {
  private passwordDay?: string;

  constructor(
    private readonly http: HttpClient,
    private readonly username: string,
    private readonly password: string,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return new Date(this.clock.now()).toISOString().slice(0, 10);
  }

  private call<T>(
    params: Record<string, string>,
    schema: z.ZodType<T>,
    expectedKey: string | undefined,
    opts: { signal?: AbortSignal; url?: string; retry?: boolean } = {},
  ): Promise<T> {
    return this.exchange(params, (text) => this.readJson(text, params, schema, expectedKey), opts);
  }

  /** One request with the daily-password rule; `read` turns the reply text into the result (or throws). */
  private async exchange<T>(
    params: Record<string, string>,
    read: (text: string) => T,
    opts: { signal?: AbortSignal; url?: string; retry?: boolean },
  ): Promise<T> {
    const withPassword = this.passwordDay !== this.today();
    try {
      return await this.once(params, read, withPassword, opts);
    } catch (err) {
      // The daily session may have ended early: one more try with the password, never more.
      if (withPassword || !(err instanceof AuthError)) throw err;
      return this.once(params, read, true, opts);
    }
  }

  private async once<T>(
    params: Record<string, string>,
    read: (text: string) => T,
    withPassword: boolean,
    opts: { signal?: AbortSignal; url?: string; retry?: boolean },
  ): Promise<T> {
    const form: Record<string, string> = { ...params, username: this.username };
    if (withPassword) form.password = this.password;
    const res = await this.http.request({
      method: 'POST',
      path: opts.url ?? '',
      body: { form },
      responseType: 'text',
      retry: opts.retry ?? true,
      singleFlight: true,
      signal: opts.signal,
    });
    const result = read(res.data as unknown as string);
    if (withPassword) this.passwordDay = this.today();
    return result;
  }

  private readJson<T>(text: string, params: Record<string, string>, schema: z.ZodType<T>, expectedKey: string | undefined): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      try {
        json = JSON.parse(repairRealtimeJson(text));
      } catch {
        throw new ProtocolError(`BAXO ${params.get ?? 'request'}: the reply is not JSON (${this.http.excerpt(Buffer.from(text))})`);
      }
    }
    if (!json || typeof json !== 'object' || (expectedKey !== undefined && !(expectedKey in json))) {
      const excerpt = this.http.excerpt(Buffer.from(text));
      const why = errorText(json);
      if (why !== undefined && refusesAccount(why)) throw new AuthError(`BAXO refused the account: ${why}`);
      if (why !== undefined) throw new RejectedError(`BAXO ${params.get}: ${why}`);
      throw new ProtocolError(`BAXO ${params.get}: the reply has no "${expectedKey}" (${excerpt})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ProtocolError(
        `BAXO ${params.get}: unexpected reply (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
      );
    return parsed.data;
  }

  contracts(signal?: AbortSignal) {
    return this.call({ get: 'contracts' }, contractsSchema, 'contracts', { signal }).then((r) => r.contracts);
  }

  devices(contractId: string, signal?: AbortSignal) {
    return this.call({ get: 'devices', contractId }, devicesSchema, 'devices', { signal }).then((r) => r.devices);
  }

  /**
   * One request for every device and tag of a contract. Lists are comma-separated (the doc does not say; commas are
   * what its other lists use).
   */
  realtimes(contractId: string, deviceIds: string[], tagReferences: string[], signal?: AbortSignal) {
    // No tag list (optional in the doc): every tag of the devices.
    const tags: Record<string, string> = tagReferences.length > 0 ? { tagReferences: tagReferences.join(',') } : {};
    return this.call({ get: 'devices-realtimes', contractId, deviceIdentifiers: deviceIds.join(','), ...tags }, realtimeSchema, 'logs', {
      signal,
    }).then((r) => r.logs);
  }

  /** Every page of a history, following `next` (credentials stay in the body, whatever the URL carries). */
  async historics(contractId: string, deviceIds: string[], start: number, end: number, tagReferences: string[], signal?: AbortSignal) {
    const params = {
      get: 'devices-historics',
      contractId,
      deviceIdentifiers: deviceIds.join(','),
      startTime: String(start),
      endTime: String(end),
      tagReferences: tagReferences.join(','),
    };
    const all: z.output<typeof historicsSchema>['historics'] = [];
    let url: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const reply = await this.call(url ? {} : params, historicsSchema, 'historics', { signal, url });
      all.push(...reply.historics);
      if (!reply.next) break;
      const next = new URL(reply.next, this.http.baseUrl);
      next.searchParams.delete('password');
      next.searchParams.delete('username');
      url = next.toString();
    }
    return all;
  }

  /**
   * Not retried: a write acts. The doc's success is a plain HTTP 200 ("Réponse simple"): an empty, text or JSON body
   * without an error field is a success; a JSON `error` field is the refusal, with its text.
   */
  writeTag(contractId: string, deviceId: string, tagRef: string, value: string, signal?: AbortSignal): Promise<void> {
    return this.exchange({ get: 'devices-tags-write', contractId, deviceId, tagRef, value }, writeVerdict, { signal, retry: false });
  }
}
