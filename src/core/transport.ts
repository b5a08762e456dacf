import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Opens the TLS socket for a connection itself (a pinned certificate): Node's async `createConnection` contract. */
export type Connector = (
  options: { host?: string | null; port?: number | string | null },
  done: (err: Error | null, socket?: Duplex) => void,
) => void;

export interface TransportOptions {
  /**
   * How long a kept-alive socket may have been idle and still be reused: below the usual servers' 5 s, so we never
   * send on a connection the server is closing. A server's own `Keep-Alive: timeout=N` lowers it to N - 0.5 s.
   */
  keepAliveMs: number;
  ca?: string;
  servername?: string;
  connector?: Connector;
}

export interface SendOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export interface RawResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
}

/**
 * One account's HTTP/1.1 connections on Node's own http and https modules, kept alive between polls. Node's native
 * parser and the modules Homebridge has already loaded cost a plugin no memory of its own (undici's WebAssembly parser
 * added about 20 MB to each Homebridge process).
 */
export class Transport {
  private readonly http: http.Agent;
  private readonly https: https.Agent;
  /** When each pooled socket became idle, and how long it may stay so. */
  private readonly idle = new WeakMap<Socket, { since: number; limitMs: number }>();

  constructor(private readonly opts: TransportOptions) {
    // No agent timeout: Node re-arms a socket's idle timer lazily, which woke the process once more every poll cycle.
    // A socket idle too long is dropped when the next request comes instead (dropStale).
    this.http = new http.Agent({ keepAlive: true });
    this.https = new https.Agent({
      keepAlive: true,
      // One TLS context for every connection: Node builds a new one (about 0.4 ms of CPU) for each otherwise.
      secureContext: opts.ca ? tls.createSecureContext({ ca: opts.ca }) : defaultSecureContext(),
      ...(opts.servername ? { servername: opts.servername } : {}),
    });
    const { connector } = opts;
    // Node's Agent accepts a createConnection that answers through its callback; its typing only knows the sync form.
    if (connector)
      Object.assign(this.https, { createConnection: (o: Parameters<Connector>[0], done: Parameters<Connector>[1]) => connector(o, done) });
  }

  /**
   * One request. A kept-alive connection the server closed just as we sent on it fails before any byte of the reply:
   * the server never read that request, so it is sent once more on a new connection (Node's documented remedy; the
   * Overkiz clients retry an event fetch on such a "server disconnected" too). Any other failure is the caller's.
   */
  async send(url: string, req: SendOptions): Promise<RawResponse> {
    const target = new URL(url);
    try {
      return await this.once(target, req);
    } catch (err) {
      if (!(err instanceof StaleSocketError)) throw err;
      if (req.signal.aborted) throw err.cause;
      // The other idle connections to that server were most likely closed with it: the retry opens a new one.
      this.dropStale(this.agentFor(target), true);
      return this.once(target, req).catch((again: unknown) => {
        throw again instanceof StaleSocketError ? again.cause : again;
      });
    }
  }

  private once(target: URL, req: SendOptions): Promise<RawResponse> {
    const secure = target.protocol === 'https:';
    const agent = this.agentFor(target);
    this.dropStale(agent);
    return new Promise((resolve, reject) => {
      let answered = false;
      const request = (secure ? https : http).request(
        target,
        {
          method: req.method,
          headers: req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
          agent,
          signal: req.signal,
          ...(secure && this.opts.servername ? { servername: this.opts.servername } : {}),
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          let complete = false;
          // Read now: the response lets go of its socket before 'end', when the socket goes back to the pool.
          const socket = res.socket;
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('end', () => {
            complete = true;
            if (socket) this.idle.set(socket, { since: performance.now(), limitMs: this.limitFor(res.headers['keep-alive']) });
            resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) });
          });
          res.once('error', reject);
          // A connection closed before the end of the body (a truncated reply) ends the response without 'end'.
          res.once('close', () => {
            if (!complete) reject(Object.assign(new Error('the connection closed before the end of the reply'), { code: 'ECONNRESET' }));
          });
        },
      );
      request.once('error', (err: NodeJS.ErrnoException) => {
        const stale = request.reusedSocket && !answered && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        reject(stale ? new StaleSocketError(err) : err);
      });
      request.end(req.body);
    });
  }

  private agentFor(target: URL): http.Agent {
    return target.protocol === 'https:' ? this.https : this.http;
  }

  /** Closes the pooled sockets idle too long to be reused safely (the oldest come first in the pool), or all of them. */
  private dropStale(agent: http.Agent, all = false): void {
    const now = performance.now();
    for (const sockets of Object.values(agent.freeSockets))
      for (const socket of sockets ?? []) {
        const idle = this.idle.get(socket as Socket);
        if (all || (idle && now - idle.since >= idle.limitMs)) socket.destroy();
      }
  }

  private limitFor(hint: string | string[] | undefined): number {
    const seconds = /^\s*timeout=(\d+)/i.exec(String(hint ?? ''))?.[1];
    return seconds === undefined ? this.opts.keepAliveMs : Math.min(this.opts.keepAliveMs, Number(seconds) * 1000 - 500);
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** A reused connection reset before any reply: the request never reached the server's application. */
class StaleSocketError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

let shared: tls.SecureContext | undefined;

/** The system's trust store as one TLS context, built on first use and shared by every account. */
export function defaultSecureContext(): tls.SecureContext {
  return (shared ??= tls.createSecureContext());
}
