import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { Transport } from '../../../src/core/transport';
import { selfSigned } from '../../helpers/tls';

/** Starts `server` on loopback; the base URL. */
async function listen(server: http.Server, scheme = 'http'): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function shut(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

describe('Transport (node:http with keep-alive)', () => {
  let server: http.Server;
  let url: string;
  let connections = 0;
  const transport = new Transport({ keepAliveMs: 4_000 });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/truncated') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2_000).unref();
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-echo': req.method ?? '' });
        res.end(JSON.stringify({ body }));
      });
    });
    server.on('connection', () => connections++);
    url = await listen(server);
  });

  afterAll(async () => {
    transport.close();
    await shut(server);
  });

  it('sends the body and returns status, headers and bytes; successive requests share one connection', async () => {
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const res = await transport.send(`${url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: `n=${i}`,
        signal: new AbortController().signal,
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers['x-echo']).toBe('POST');
      expect(JSON.parse(res.raw.toString())).toEqual({ body: `n=${i}` });
    }
    expect(connections - before).toBe(1);
  });

  it('rejects a reply cut before the end of its body instead of returning part of it', async () => {
    await expect(
      transport.send(`${url}/truncated`, { method: 'GET', headers: {}, signal: new AbortController().signal }),
    ).rejects.toThrow();
  });

  it('stops at once when its signal aborts', async () => {
    const abort = new AbortController();
    const sent = transport.send(`${url}/slow`, { method: 'GET', headers: {}, signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(sent).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('Transport keep-alive', () => {
  let server: http.Server;
  let url: string;
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('[]'));
    // Announces "Keep-Alive: timeout=2" in every reply (Node's client keeps no socket from a server announcing 1).
    server.keepAliveTimeout = 2_000;
    server.on('connection', () => connections++);
    url = `${await listen(server)}/events`;
  });

  afterAll(() => shut(server));

  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const get = (t: Transport) => t.send(url, { method: 'GET', headers: {}, signal: new AbortController().signal });

  /** Connections opened by three requests: the second 20 ms after the first, the third `gapMs` after the second. */
  async function connectionsOver(keepAliveMs: number, gapMs: number): Promise<number[]> {
    const transport = new Transport({ keepAliveMs });
    try {
      const before = connections;
      await get(transport);
      await pause(20);
      await get(transport);
      const afterTwo = connections - before;
      await pause(gapMs);
      await get(transport);
      return [afterTwo, connections - before];
    } finally {
      transport.close();
    }
  }

  it('reuses a connection idle for less than keepAliveMs and opens a new one after', async () => {
    expect(await connectionsOver(150, 250)).toEqual([1, 2]);
  });

  it("follows the server's Keep-Alive timeout when it is shorter (less half a second)", async () => {
    // Still open on the server's side (it closes at 2 s), but past 2 s - 0.5 s: not reused.
    expect(await connectionsOver(4_000, 1_700)).toEqual([1, 2]);
  });

  it('arms no timer on an idle pooled socket (one would wake the process again every poll cycle)', async () => {
    const transport = new Transport({ keepAliveMs: 4_000 });
    try {
      await get(transport);
      const pool = (transport as unknown as { http: http.Agent }).http.freeSockets;
      const idle = Object.values(pool).flatMap((list) => list ?? []);
      expect(idle).toHaveLength(1);
      expect(idle[0].timeout ?? 0).toBe(0);
    } finally {
      transport.close();
    }
  });
});

describe('Transport on a kept-alive connection the server drops', () => {
  let server: http.Server;
  let url: string;
  let received = 0;
  let connections = 0;
  /** Each connection answers this many requests, then resets at the next one without a reply. */
  let answersPerConnection = 1;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      received++;
      const socket = req.socket as typeof req.socket & { answered?: number };
      socket.answered = (socket.answered ?? 0) + 1;
      if (socket.answered > answersPerConnection) return void socket.resetAndDestroy();
      res.end('[]');
    });
    server.on('connection', () => connections++);
    url = `${await listen(server)}/events/fetch`;
  });

  afterAll(() => shut(server));

  const post = (t: Transport) => t.send(url, { method: 'POST', headers: {}, body: '', signal: new AbortController().signal });

  it('sends the request once more on a new connection when a reused one is reset before any reply', async () => {
    const transport = new Transport({ keepAliveMs: 4_000 });
    try {
      answersPerConnection = 1;
      const [r0, c0] = [received, connections];
      expect((await post(transport)).raw.toString()).toBe('[]');
      expect((await post(transport)).raw.toString()).toBe('[]');
      expect([received - r0, connections - c0]).toEqual([3, 2]);
    } finally {
      transport.close();
    }
  });

  it('does not send again when a new connection is reset (the server may have read the request)', async () => {
    const transport = new Transport({ keepAliveMs: 4_000 });
    try {
      answersPerConnection = 0;
      const r0 = received;
      await expect(post(transport)).rejects.toMatchObject({ code: 'ECONNRESET' });
      expect(received - r0).toBe(1);
    } finally {
      transport.close();
    }
  });
});

describe('Transport over https', () => {
  const cert = selfSigned('127.0.0.1');
  let server: https.Server;
  let url: string;
  let connections = 0;

  beforeAll(async () => {
    // Every reply closes its connection: each request opens a new TLS connection.
    server = https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => {
      res.writeHead(200, { connection: 'close', 'content-type': 'application/json' });
      res.end('[]');
    });
    server.on('secureConnection', () => connections++);
    url = `${await listen(server, 'https')}/events`;
  });

  afterAll(() => shut(server));

  it('builds its TLS context once, not once per connection', async () => {
    const transport = new Transport({ keepAliveMs: 4_000, ca: cert.cert });
    const contexts = jest.spyOn(tls, 'createSecureContext');
    try {
      for (let i = 0; i < 3; i++) {
        const res = await transport.send(url, { method: 'GET', headers: {}, signal: new AbortController().signal });
        expect(res.raw.toString()).toBe('[]');
      }
      expect(connections).toBe(3);
      expect(contexts).not.toHaveBeenCalled();
    } finally {
      contexts.mockRestore();
      transport.close();
    }
  });
});
