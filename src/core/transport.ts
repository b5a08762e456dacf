import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

/** Opens the TLS socket for a connection itself (a pinned certificate): Node's async `createConnection` contract. */
export type Connector = (
  options: { host?: string | null; port?: number | string | null },
  done: (err: Error | null, socket?: Duplex) => void,
) => void;

export interface TransportOptions {
  /** How long an idle kept-alive socket stays open (below the usual servers' 5 s, so we close first). */
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

  constructor(private readonly opts: TransportOptions) {
    this.http = new http.Agent({ keepAlive: true, timeout: opts.keepAliveMs });
    this.https = new https.Agent({
      keepAlive: true,
      timeout: opts.keepAliveMs,
      // One TLS context for every connection: Node builds a new one (about 0.4 ms of CPU) for each otherwise.
      secureContext: opts.ca ? tls.createSecureContext({ ca: opts.ca }) : defaultSecureContext(),
      ...(opts.servername ? { servername: opts.servername } : {}),
    });
    const { connector } = opts;
    // Node's Agent accepts a createConnection that answers through its callback; its typing only knows the sync form.
    if (connector)
      Object.assign(this.https, { createConnection: (o: Parameters<Connector>[0], done: Parameters<Connector>[1]) => connector(o, done) });
  }

  send(url: string, req: SendOptions): Promise<RawResponse> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const request = (secure ? https : http).request(
        target,
        {
          method: req.method,
          headers: req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
          agent: secure ? this.https : this.http,
          signal: req.signal,
          ...(secure && this.opts.servername ? { servername: this.opts.servername } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let complete = false;
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('end', () => {
            complete = true;
            resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) });
          });
          res.once('error', reject);
          // A connection closed before the end of the body (a truncated reply) ends the response without 'end'.
          res.once('close', () => {
            if (!complete) reject(Object.assign(new Error('the connection closed before the end of the reply'), { code: 'ECONNRESET' }));
          });
        },
      );
      request.once('error', reject);
      request.end(req.body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

let shared: tls.SecureContext | undefined;

/** The system's trust store as one TLS context, built on first use and shared by every account. */
export function defaultSecureContext(): tls.SecureContext {
  return (shared ??= tls.createSecureContext());
}
