import type { HttpClient } from '../../core/http';
import {
  configReplySchema,
  type Derogation,
  derogationsReplySchema,
  invitationsReplySchema,
  reportReplySchema,
  usersReplySchema,
} from './schemas';

/** The HomeSmartlink partner API (v0.3.3), typed. Authentication is the Basic header set on the HttpClient. */
export class HomeSmartlinkClient {
  constructor(private readonly http: HttpClient) {}

  static basicAuth(clientId: string, clientSecret: string): string {
    return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  }

  /** Devices of a home. Polled: retried on network errors (it has no side effect). */
  async config(homeId: string, signal?: AbortSignal) {
    const res = await this.http.request({
      method: 'POST',
      path: '/partners/1/config',
      body: { json: { homeId } },
      schema: configReplySchema,
      retry: true,
      singleFlight: true,
      signal,
    });
    return res.data;
  }

  async invitations(email: string, signal?: AbortSignal) {
    const res = await this.http.request({
      method: 'POST',
      path: '/partners/1/invitations',
      body: { json: { email } },
      schema: invitationsReplySchema,
      retry: true,
      singleFlight: true,
      signal,
    });
    return res.data.reply;
  }

  /** Every derogation must share startTime/endTime (doc); the caller groups them. Not retried: it acts. */
  async derogations(derogations: Derogation[], signal?: AbortSignal) {
    const res = await this.http.request({
      method: 'POST',
      path: '/partners/1/derogations',
      body: { json: { derogations } },
      schema: derogationsReplySchema,
      signal,
    });
    return { startTrigger: res.data.startTrigger, endTrigger: res.data.endTrigger, accepted: res.data.reply };
  }

  async report(trigger: string, signal?: AbortSignal) {
    const res = await this.http.request({
      method: 'POST',
      path: '/partners/1/report',
      body: { json: { trigger } },
      schema: reportReplySchema,
      retry: true,
      singleFlight: true,
      signal,
    });
    return res.data.reply;
  }

  /** All users with consent, following pages until a short page. */
  async users(pageSize = 100, signal?: AbortSignal) {
    const all: Array<{ homeId: string }> = [];
    for (let page = 1; page < 10_000; page++) {
      const res = await this.http.request({ path: '/partners/1/users', query: { page, size: pageSize }, schema: usersReplySchema, signal });
      all.push(...res.data.reply);
      if (res.data.reply.length < pageSize) break;
    }
    return all;
  }
}
