import type { Clock } from '../../core/clock';
import { AuthError, ProtocolError } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import { z } from 'zod';
import { contractsSchema, devicesSchema, historicsSchema, realtimeSchema } from './schemas';

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

  private async call<T>(
    params: Record<string, string>,
    schema: z.ZodType<T>,
    expectedKey: string | undefined,
    opts: { signal?: AbortSignal; url?: string; retry?: boolean } = {},
  ): Promise<T> {
    const withPassword = this.passwordDay !== this.today();
    try {
      return await this.once(params, schema, expectedKey, withPassword, opts);
    } catch (err) {
      // The daily session may have ended early: one more try with the password, never more.
      if (withPassword || !(err instanceof AuthError)) throw err;
      return this.once(params, schema, expectedKey, true, opts);
    }
  }

  private async once<T>(
    params: Record<string, string>,
    schema: z.ZodType<T>,
    expectedKey: string | undefined,
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
    const text = res.data as unknown as string;
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
      if (/(auth|password|mot de passe|login|identifi|session|token)/i.test(text))
        throw new AuthError(`BAXO refused the account (${excerpt})`);
      throw new ProtocolError(`BAXO ${params.get}: the reply has no "${expectedKey}" (${excerpt})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ProtocolError(
        `BAXO ${params.get}: unexpected reply (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
      );
    if (withPassword) this.passwordDay = this.today();
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
    return this.call(
      { get: 'devices-realtimes', contractId, deviceIdentifiers: deviceIds.join(','), tagReferences: tagReferences.join(',') },
      realtimeSchema,
      'logs',
      { signal },
    ).then((r) => r.logs);
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

  /** Not retried: a write acts. */
  writeTag(contractId: string, deviceId: string, tagRef: string, value: string, signal?: AbortSignal) {
    // The doc gives no reply for a write: any JSON object that is not an error is an acceptance.
    return this.call({ get: 'devices-tags-write', contractId, deviceId, tagRef, value }, z.object({}).passthrough(), undefined, {
      signal,
      retry: false,
    });
  }
}
