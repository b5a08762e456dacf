import type { z } from 'zod';
import { fullJitterDelay, parseRetryAfter } from './backoff';
import { type Clock, systemClock } from './clock';
import {
  AbortedError,
  AuthError,
  ConfigError,
  HubError,
  ProtocolError,
  RateLimitError,
  RejectedError,
  TimeoutError,
  TransientError,
} from './errors';
import { ConcurrencyLimiter, SingleFlight } from './limiter';
import type { Redactor } from './redact';
import { isTlsTrustError, loadCaCertificate, pinnedConnector } from './tls';
import { type RawResponse, Transport } from './transport';
import { describeZodError } from './validate';

export interface HttpClientOptions {
  /** Prefix that request paths are appended to. */
  baseUrl: string;
  redactor: Redactor;
  clock?: Clock;
  /** Per attempt, default 10 s. */
  timeoutMs?: number;
  /** Extra attempts after the first for network errors, 5xx and 429; default 3. */
  retries?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Requests in flight at once for this account; default 4. */
  maxConcurrent?: number;
  /** Requests in flight at once per method + path (1 = calls to one route are serialized); default unlimited. */
  perRouteConcurrent?: number;
  caCertificate?: string;
  certificateFingerprint?: string;
  /** The name the server's certificate is checked against, when the URL holds an address (a gateway found by mDNS). */
  servername?: string;
  /** Aborts every request of the account (platform shutdown). */
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export type Body = { json: unknown } | { form: Record<string, string> } | { text: string; contentType: string };

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Appended to baseUrl ("" for the base itself); an absolute URL is used as is. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: Body;
  /** JSON schema of the reply; without it the decoded JSON is returned unchecked as unknown. */
  schema?: z.ZodType<T>;
  /** 'json' (default), 'text' (decoded as UTF-8) or 'raw' (bytes, for vendors with other charsets). */
  responseType?: 'json' | 'text' | 'raw';
  /** Retry network errors/5xx/429 (default: true for GET, false otherwise: a POST may have side effects). */
  retry?: boolean;
  /** Share one in-flight request among identical concurrent calls (default: true for GET). */
  singleFlight?: boolean;
  /** Requests with one key share the per-route limit (default: method + path). */
  routeKey?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  data: T;
  raw: Buffer;
}

export class HttpClient {
  private readonly clock: Clock;
  private readonly transport: Transport;
  private readonly limiter: ConcurrencyLimiter;
  private readonly flights = new SingleFlight();
  private readonly routeLimiters = new Map<string, ConcurrencyLimiter>();
  readonly baseUrl: string;
  /** Attempts on the wire right now (not counting backoff waits). */
  inFlight = 0;
  /** Until when the server asked (Retry-After) that this account send nothing. */
  private quietUntil = -Infinity;

  constructor(private readonly opts: HttpClientOptions) {
    this.clock = opts.clock ?? systemClock;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.limiter = new ConcurrencyLimiter(opts.maxConcurrent ?? 4);
    const timeout = opts.timeoutMs ?? 10_000;
    this.transport = new Transport({
      keepAliveMs: 4_500,
      ...(opts.certificateFingerprint ? { connector: pinnedConnector(opts.certificateFingerprint, timeout, opts.servername) } : {}),
      ...(opts.caCertificate ? { ca: loadCaCertificate(opts.caCertificate) } : {}),
      ...(opts.servername ? { servername: opts.servername } : {}),
    });
    opts.signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  get redactor(): Redactor {
    return this.opts.redactor;
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  buildUrl(path: string, query?: Record<string, string | number | undefined>): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  request<T = unknown>(req: RequestOptions<T>): Promise<HttpResponse<T>> {
    const method = req.method ?? 'GET';
    const url = this.buildUrl(req.path, req.query);
    const shared = req.singleFlight ?? method === 'GET';
    const run = () => this.withRetries(method, url, req);
    return shared ? this.flights.run(`${method} ${url} ${bodyKey(req.body)}`, run) : run();
  }

  private async withRetries<T>(method: string, url: string, req: RequestOptions<T>): Promise<HttpResponse<T>> {
    const retries = (req.retry ?? method === 'GET') ? (this.opts.retries ?? 3) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const attempt = () =>
          this.limiter.run(async () => {
            this.inFlight++;
            try {
              return await this.once(method, url, req);
            } finally {
              this.inFlight--;
            }
          });
        const route = this.routeLimiter(req.routeKey ?? `${method} ${new URL(url).pathname}`);
        return await (route ? route.run(attempt) : attempt());
      } catch (err) {
        const retryable = err instanceof TransientError || err instanceof RateLimitError;
        if (!retryable || attempt >= retries || this.aborted(req)) throw err;
        const backoff = fullJitterDelay(attempt, this.opts.retryBaseMs ?? 500, this.opts.retryCapMs ?? 30_000, this.clock.random, 50);
        const wait = err instanceof RateLimitError && err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, backoff) : backoff;
        await this.clock.sleep(wait, anySignal(this.opts.signal, req.signal));
      }
    }
  }

  private routeLimiter(key: string): ConcurrencyLimiter | undefined {
    const max = this.opts.perRouteConcurrent;
    if (!max) return undefined;
    let limiter = this.routeLimiters.get(key);
    if (!limiter) this.routeLimiters.set(key, (limiter = new ConcurrencyLimiter(max)));
    return limiter;
  }

  private aborted(req: RequestOptions<unknown>): boolean {
    return Boolean(this.opts.signal?.aborted || req.signal?.aborted);
  }

  private async once<T>(method: string, url: string, req: RequestOptions<T>): Promise<HttpResponse<T>> {
    const r = this.opts.redactor;
    // host and path: a line that says which server failed (an account may talk to several: a gateway and a cloud)
    const label = `${method} ${new URL(url).host}${r.redact(new URL(url).pathname)}`;
    if (this.aborted(req)) throw new AbortedError(`${label} aborted`);
    // A 429's Retry-After holds for the whole account, not only the request that got it: nothing is sent meanwhile.
    const quiet = this.quietUntil - this.clock.now();
    if (quiet > 0) throw new RateLimitError(`${label} not sent: the server asked to wait ${Math.ceil(quiet / 1000)} s`, 429, quiet);
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs ?? 10_000;
    // On the account's clock, like every other delay: a test's manual clock decides when a request times out.
    const timeout = new AbortController();
    const settled = new AbortController();
    this.clock.sleep(timeoutMs, settled.signal).then(
      () => timeout.abort(),
      () => undefined,
    );
    const signal = anySignal(this.opts.signal, req.signal, timeout.signal);
    const { body, contentType } = encodeBody(req.body);
    const headers: Record<string, string> = { accept: 'application/json, text/plain, */*', ...this.opts.headers, ...req.headers };
    if (contentType) headers['content-type'] = contentType;

    let res: RawResponse;
    try {
      res = await this.transport.send(url, { method, headers, body, signal });
    } catch (err) {
      if (this.aborted(req)) throw new AbortedError(`${label} aborted`);
      const why = timeout.signal.aborted ? `timed out after ${timeoutMs} ms` : networkReason(err);
      if (err instanceof HubError) throw err;
      if (isTlsTrustError(why)) {
        throw new ConfigError(
          r.redact(
            `${label}: the server certificate is not trusted (${why}); set ` +
              `caCertificate or certificateFingerprint for a self-signed server`,
          ),
        );
      }
      if (timeout.signal.aborted) throw new TimeoutError(r.redact(`${label}: ${why}`));
      throw new TransientError(r.redact(`${label}: ${why}`));
    } finally {
      settled.abort();
    }
    const { statusCode: status, raw } = res;
    if (status < 200 || status >= 300) throw this.statusError(label, status, res.headers, raw);
    return { status, headers: res.headers, raw, data: this.decode(label, raw, req) };
  }

  private decode<T>(label: string, raw: Buffer, req: RequestOptions<T>): T {
    const type = req.responseType ?? 'json';
    if (type === 'raw') return raw as unknown as T;
    const text = raw.toString('utf8');
    if (type === 'text') return text as unknown as T;
    let json: unknown = null;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        throw new ProtocolError(`${label}: the reply is not JSON (${this.excerpt(raw)})`);
      }
    }
    if (!req.schema) return json as T;
    const parsed = req.schema.safeParse(json);
    if (!parsed.success) throw new ProtocolError(`${label}: unexpected reply: ${describeZodError(parsed.error)}`);
    return parsed.data;
  }

  private statusError(label: string, status: number, headers: Record<string, string | string[] | undefined>, raw: Buffer): HubError {
    const msg = `${label} answered HTTP ${status}${raw.length ? ` (${this.excerpt(raw)})` : ''}`;
    const err =
      status === 401 || status === 403
        ? new AuthError(msg, status)
        : status === 429
          ? this.rateLimited(msg, parseRetryAfter(headers['retry-after'], this.clock.now()))
          : status >= 500 || status === 408
            ? new TransientError(msg, status)
            : new RejectedError(msg, status);
    err.detail = this.opts.redactor.redact(raw.toString('utf8', 0, 2000));
    return err;
  }

  private rateLimited(msg: string, retryAfterMs: number | undefined): RateLimitError {
    if (retryAfterMs !== undefined) this.quietUntil = Math.max(this.quietUntil, this.clock.now() + retryAfterMs);
    return new RateLimitError(msg, 429, retryAfterMs);
  }

  /** A short, single-line, redacted piece of a reply for error messages. */
  excerpt(raw: Buffer): string {
    const text = raw
      .toString('utf8', 0, 400)
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return this.opts.redactor.redact(text.length > 120 ? `${text.slice(0, 120)}…` : text);
  }
}

function encodeBody(body: Body | undefined): { body?: string; contentType?: string } {
  if (!body) return {};
  if ('json' in body) return { body: JSON.stringify(body.json), contentType: 'application/json; charset=utf-8' };
  if ('form' in body) return { body: new URLSearchParams(body.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  return { body: body.text, contentType: body.contentType };
}

function bodyKey(body: Body | undefined): string {
  return body ? JSON.stringify(body) : '';
}

function networkReason(err: unknown): string {
  if (err instanceof HubError) return err.message;
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  return e?.code ?? e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'network error';
}

export function anySignal(...signals: Array<AbortSignal | undefined>): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length === 1 ? present[0] : AbortSignal.any(present);
}
