import { AuthError, ProtocolError } from '../../core/errors';
import type { HttpClient } from '../../core/http';
import { type BadgeEvent, decodeBody, isPointageReply, parseInfos, parsePointages, parseTransfer, type TransferResult } from './parse';

const AUTH_HINT = /(login|mot de passe|password|authentif|identifiant|compte)/i;

/**
 * The Festime web API (v2.0). The account travels in the query string (the API has no other way): every parameter is
 * URL-encoded, and the HttpClient's redactor masks the password in every message.
 */
export class FestimeClient {
  constructor(
    private readonly http: HttpClient,
    private readonly login: string,
    private readonly password: string,
    private readonly timeZone?: string,
  ) {}

  private async call(
    fonction: string,
    extra: Record<string, string> = {},
    opts: { retry: boolean; signal?: AbortSignal },
  ): Promise<string> {
    const res = await this.http.request({
      path: '',
      query: { login: this.login, password: this.password, fonction, ...extra },
      responseType: 'raw',
      retry: opts.retry,
      singleFlight: opts.retry,
      signal: opts.signal,
    });
    const ct = res.headers['content-type'];
    return decodeBody(res.data as unknown as Buffer, Array.isArray(ct) ? ct[0] : ct);
  }

  private unexpected(fonction: string, text: string): Error {
    const excerpt = this.http.redactor.redact(text.replace(/\s+/g, ' ').trim().slice(0, 100));
    if (AUTH_HINT.test(text)) return new AuthError(`Festime refused the login for ${fonction}: "${excerpt}"`);
    return new ProtocolError(`unexpected Festime reply to ${fonction}: "${excerpt}"`);
  }

  /** Badge events: `day` only that day ("!DD/MM/YYYY"), or `since` that day until today. */
  async pointages(when: { day: string } | { since: string }, signal?: AbortSignal): Promise<BadgeEvent[]> {
    const date = 'day' in when ? `!${when.day}` : when.since;
    const text = await this.call('pointage', { date }, { retry: true, signal });
    if (!isPointageReply(text)) throw this.unexpected('pointage', text);
    return parsePointages(text, this.timeZone);
  }

  async terminalInfos(signal?: AbortSignal) {
    const text = await this.call('global_get_infos_iot', {}, { retry: true, signal });
    const infos = parseInfos(text, this.timeZone);
    if (infos.length === 0 && !/NOMBRE DE POINT/i.test(text)) throw this.unexpected('global_get_infos_iot', text);
    return infos;
  }

  private async transfer(fonction: string, signal?: AbortSignal): Promise<TransferResult[]> {
    const text = await this.call(fonction, {}, { retry: false, signal });
    const results = parseTransfer(text);
    if (results.length === 0 && !/NOMBRE DE POINT/i.test(text)) throw this.unexpected(fonction, text);
    return results;
  }

  /** Pushes Festime's people to every terminal of the account. */
  transferUsers(signal?: AbortSignal) {
    return this.transfer('global_transfert_to_iot_utilisateurs', signal);
  }
}
