import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON, or undefined. */
  json: unknown;
  /** Groups captured by a RegExp route, URL-decoded. */
  params: string[];
}

export interface SimResponse {
  status?: number;
  json?: unknown;
  text?: string;
  body?: Buffer;
  headers?: Record<string, string>;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Fault {
  /** Answer with this status (and `body`, or a JSON error) instead of the real handler. */
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (or before the fault). */
  delayMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Answer 200 with a body that is not what the API promises. */
  malformed?: boolean;
  /** Never answer until the faults are cleared (then drop the connection): the client's timeout has to end it. */
  hang?: boolean;
  /** Answer 200 with a JSON body this many bytes long that is not what the API promises. */
  hugeBytes?: number;
  /** Answer the real handler's JSON passed through this (empty lists, nulls, unknown values, odd names...). */
  transform?: (json: unknown) => unknown;
  /** Only requests whose path starts with this. */
  pathPrefix?: string;
  /** Only requests this accepts (one endpoint, several services: BAXO's `get=`). */
  match?: (req: { path: string; query: string; body: string }) => boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

/**
 * The HTTP server every vendor simulator stands on: 127.0.0.1 and an ephemeral port, optional TLS,
 * a log of every request (tests count calls per route) and fault injection for the next N requests.
 */
export class SimulatorServer {
  readonly requests: LoggedRequest[] = [];
  private readonly routes: Array<{ method: string; path: string | RegExp; handler: SimHandler }> = [];
  private faults: Array<Fault & { remaining: number }> = [];
  /** Requests held by a `hang` fault, released by clearFaults. */
  private hung: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();
  private server?: http.Server;
  /** Requests received and not answered yet. */
  inFlight = 0;
  /** The time requests are logged at: the simulator's clock (a test's manual clock), else real time. */
  now: () => number = Date.now;
  url = '';

  constructor(private readonly tls?: { key: string; cert: string }) {}

  /** A route by exact path, or by a RegExp whose groups become `req.params`. */
  route(method: string, path: string | RegExp, handler: SimHandler): this {
    this.routes.push({ method: method.toUpperCase(), path, handler });
    return this;
  }

  /** The next `count` matching requests get `fault` instead of their normal answer. */
  injectFault(count: number, fault: Fault): void {
    this.faults.push({ ...fault, remaining: count });
  }

  clearFaults(): void {
    this.faults = [];
    for (const release of this.hung.splice(0)) release();
  }

  count(method?: string, path?: string): number {
    return this.requests.filter((r) => (!method || r.method === method.toUpperCase()) && (!path || r.path === path)).length;
  }

  resetLog(): void {
    this.requests.length = 0;
  }

  async start(port = 0): Promise<string> {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    this.server = this.tls ? https.createServer(this.tls, listener) : http.createServer(listener);
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: actual } = this.server.address() as AddressInfo;
    this.url = `${this.tls ? 'https' : 'http'}://127.0.0.1:${actual}`;
    return this.url;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.inFlight++;
    try {
      await this.answer(req, res);
    } finally {
      this.inFlight--;
    }
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://sim');
    const log: LoggedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      headers: req.headers,
      body: body.toString('utf8'),
      status: 0,
      at: this.now(),
    };
    this.requests.push(log);
    const fault = this.takeFault(url.pathname, url.search, log.body);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    if (fault?.hang) {
      // Not "in flight" for a test clock: nothing will come back until the fault is cleared.
      this.inFlight--;
      await new Promise<void>((release) => this.hung.push(release));
      this.inFlight++;
      req.socket.destroy();
      return;
    }
    let answer: SimResponse;
    if (fault?.malformed) answer = { status: 200, text: '{"truncated": ', headers: { 'content-type': 'application/json' } };
    else if (fault?.hugeBytes) answer = { status: 200, json: { padding: 'x'.repeat(fault.hugeBytes) } };
    else if (fault?.status)
      answer = { status: fault.status, text: fault.body ?? JSON.stringify({ error: `injected ${fault.status}` }), headers: fault.headers };
    else
      answer = await this.dispatch({
        method: log.method,
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        json: parseJson(body),
        params: [],
      });
    if (fault?.transform) answer = transformed(answer, fault.transform);
    log.status = answer.status ?? 200;
    const payload = answer.body ?? Buffer.from(answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? ''));
    const type = answer.json !== undefined ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
    if (!res.destroyed) res.writeHead(log.status, { 'content-type': type, ...answer.headers }).end(payload);
  }

  private async dispatch(req: SimRequest): Promise<SimResponse> {
    const route = this.routes.find(
      (r) => r.method === req.method && (typeof r.path === 'string' ? r.path === req.path : r.path.test(req.path)),
    );
    if (!route) return { status: 404, json: { error: `no route ${req.method} ${req.path}` } };
    const params = typeof route.path === 'string' ? [] : (route.path.exec(req.path)?.slice(1) ?? []).map((p) => decodeURIComponent(p));
    try {
      return await route.handler({ ...req, params });
    } catch (err) {
      return { status: 500, json: { error: (err as Error).message } };
    }
  }

  private takeFault(path: string, query = '', body = ''): Fault | undefined {
    const f = this.faults.find(
      (x) => x.remaining > 0 && (!x.pathPrefix || path.startsWith(x.pathPrefix)) && (!x.match || x.match({ path, query, body })),
    );
    if (!f) return undefined;
    f.remaining--;
    this.faults = this.faults.filter((x) => x.remaining > 0);
    return f;
  }
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** What every vendor simulator shares: its server and the base URL an account points at. */
export abstract class VendorSimulator {
  abstract readonly server: SimulatorServer;
  /** Appended to the server URL: the account's baseUrl. */
  protected abstract readonly basePath: string;

  async start(port = 0): Promise<string> {
    await this.server.start(port);
    return this.url;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get url(): string {
    return `${this.server.url}${this.basePath}`;
  }
}

/** A successful JSON answer passed through `transform` (a fault that keeps the route's own answer as its base). */
function transformed(answer: SimResponse, transform: (json: unknown) => unknown): SimResponse {
  if ((answer.status ?? 200) >= 300) return answer;
  if (answer.json !== undefined) return { ...answer, json: transform(answer.json) };
  const parsed = answer.text === undefined ? undefined : parseJson(Buffer.from(answer.text));
  return parsed === undefined ? answer : { ...answer, text: JSON.stringify(transform(parsed)) };
}
