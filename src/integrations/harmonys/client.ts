import type { HttpClient } from '../../core/http';
import {
  buttonSchema,
  buttonsSchema,
  disconnectedSchema,
  httpsSchema,
  inAlertSchema,
  licenceSchema,
  pressReplySchema,
  siteSchema,
  sitesSchema,
} from './schemas';

/**
 * Harmonys Multisite API v1. The server answers 429 when the same request is already in flight, so the HttpClient
 * under this client serializes each route and shares identical GETs; a press is never retried.
 */
export class HarmonysClient {
  constructor(private readonly http: HttpClient) {}

  private async get<T>(path: string, schema: import('zod').ZodType<T>, signal?: AbortSignal, query?: Record<string, string>): Promise<T> {
    return (await this.http.request({ path, query, schema, signal })).data;
  }

  sites(signal?: AbortSignal) {
    return this.get('/sites/all', sitesSchema, signal);
  }

  site(siteUuid: string, signal?: AbortSignal) {
    return this.get('/site', siteSchema, signal, { siteUuid });
  }

  inAlert(signal?: AbortSignal) {
    return this.get('/sites/inAlert', inAlertSchema, signal);
  }

  disconnected(signal?: AbortSignal) {
    return this.get('/sites/disconnected', disconnectedSchema, signal);
  }

  buttons(signal?: AbortSignal) {
    return this.get('/buttons/all', buttonsSchema, signal);
  }

  button(buttonUuid: string, signal?: AbortSignal) {
    return this.get('/button', buttonSchema, signal, { buttonUuid });
  }

  licence(signal?: AbortSignal) {
    return this.get('/licence', licenceSchema, signal);
  }

  https(signal?: AbortSignal) {
    return this.get('/https', httpsSchema, signal);
  }

  /** Exactly one request: no retry, no sharing. A lost reply must not become a second alert. */
  async press(buttonUuid: string, siteUuids: string[], timeoutMs: number, signal?: AbortSignal) {
    const res = await this.http.request({
      method: 'POST',
      path: '/button/press',
      body: { json: { buttonUuid, siteUuids } },
      schema: pressReplySchema,
      retry: false,
      singleFlight: false,
      // The acknowledgements come back from each site's master clock: give them time.
      timeoutMs,
      // The server's 429 rule is about identical requests: presses of different buttons do not wait for each other.
      routeKey: `press:${buttonUuid}`,
      signal,
    });
    return res.data;
  }
}
