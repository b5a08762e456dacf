import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transport } from '../../../src/core/transport';

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
      if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2_000);
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-echo': req.method ?? '' });
        res.end(JSON.stringify({ body }));
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    transport.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
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
