import { z } from 'zod';
import { AuthError, ProtocolError, RateLimitError, RejectedError, TransientError } from '../../../src/core/errors';
import { HttpClient } from '../../../src/core/http';
import { Redactor } from '../../../src/core/redact';
import { SimulatorServer } from '../../../src/simulators/base';
import { ManualClock } from '../../helpers/manualClock';

const SECRET = 'p@ss$word&#1';

/** Waits for loopback I/O to reach a state (bounded: a test that never gets there fails). */
async function until(cond: () => boolean, maxMs = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > maxMs) throw new Error('condition not reached');
    await new Promise((r) => setImmediate(r));
  }
}

describe('HttpClient against a local server', () => {
  let server: SimulatorServer;
  let client: HttpClient;
  let sleeps: number[];
  /** Requests held by the server until the test releases them (no real-time sleeps). */
  let held: Array<() => void>;
  let clock: ManualClock;

  /** Moves the manual clock until the request settles. */
  async function run<T>(request: Promise<T>): Promise<T> {
    let done = false;
    request.then(
      () => (done = true),
      () => (done = true),
    );
    for (let i = 0; i < 200 && !done; i++) await clock.advance(1000);
    return request;
  }

  beforeEach(async () => {
    server = new SimulatorServer();
    held = [];
    server.route('GET', '/ok', () => ({ json: { value: 42 } }));
    server.route('GET', '/held', async () => {
      await new Promise<void>((r) => held.push(r));
      return { json: { value: 1 } };
    });
    server.route('POST', '/echo', (r) => ({ json: r.json }));
    await server.start();
    sleeps = [];
    // A manual clock: backoffs and timeouts happen when `run` moves it; the backoffs are recorded.
    clock = new ManualClock();
    const sleep = clock.sleep.bind(clock);
    clock.sleep = (ms: number, signal?: AbortSignal) => {
      if (ms !== 10_000 && ms !== 150) sleeps.push(ms);
      return sleep(ms, signal);
    };
    // Requests the server holds on purpose do not count as work in progress.
    clock.busy = () => server.inFlight > held.length;
    const redactor = new Redactor([SECRET]);
    client = new HttpClient({ baseUrl: server.url, redactor, clock, retries: 3, retryBaseMs: 1000, retryCapMs: 8000 });
  });

  afterEach(async () => {
    for (const release of held) release();
    await client.close();
    await server.stop();
  });

  it('decodes and validates JSON with a schema', async () => {
    const res = await client.request({ path: '/ok', schema: z.object({ value: z.number() }) });
    expect(res.data.value).toBe(42);
  });

  it('reports a schema mismatch as a ProtocolError naming the field, not the payload', async () => {
    server.route('GET', '/bad', () => ({ json: { items: [{ temperature: 'hot', secretNote: 'payload-marker' }] } }));
    const err = await client
      .request({ path: '/bad', schema: z.object({ items: z.array(z.object({ temperature: z.number() })) }) })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.message).toContain('items.0.temperature');
    expect(err.message).not.toContain('payload-marker');
  });

  it('reports a body that is not JSON as a ProtocolError', async () => {
    server.injectFault(1, { malformed: true });
    await expect(client.request({ path: '/ok' })).rejects.toBeInstanceOf(ProtocolError);
  });

  it('times out a request the server never answers and retries it with growing backoff', async () => {
    const err = await run(client.request({ path: '/held', timeoutMs: 150 })).catch((e) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/timed out after 150 ms/);
    expect(server.count('GET', '/held')).toBe(4);
    // Full jitter with random()=0.5: half of 1 s, 2 s, 4 s.
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('retries 5xx and succeeds when the server recovers', async () => {
    server.injectFault(2, { status: 503 });
    const res = await run(client.request({ path: '/ok' }));
    expect(res.status).toBe(200);
    expect(server.count('GET', '/ok')).toBe(3);
  });

  it('retries a reset connection', async () => {
    server.injectFault(1, { reset: true });
    await expect(run(client.request({ path: '/ok' }))).resolves.toMatchObject({ status: 200 });
    expect(server.count('GET', '/ok')).toBe(2);
  });

  it('honours Retry-After on 429', async () => {
    server.injectFault(1, { status: 429, headers: { 'retry-after': '7' } });
    await run(client.request({ path: '/ok' }));
    expect(sleeps).toEqual([7000]);
  });

  it('a Retry-After holds for the whole account: no other request is sent before it has elapsed', async () => {
    server.injectFault(1, { status: 429, headers: { 'retry-after': '30' } });
    await expect(client.request({ path: '/ok', retry: false })).rejects.toBeInstanceOf(RateLimitError);
    await clock.advance(10_000);
    const other = client.request({ path: '/other', retry: false, method: 'POST' });
    await expect(other).rejects.toMatchObject({ retryAfterMs: 20_000 });
    expect(server.count()).toBe(1);
    await clock.advance(21_000);
    await expect(client.request({ path: '/ok' })).resolves.toMatchObject({ status: 200 });
    expect(server.count()).toBe(2);
  });

  it('gives up on 429 after the retries with a RateLimitError', async () => {
    server.injectFault(10, { status: 429 });
    await expect(run(client.request({ path: '/ok' }))).rejects.toBeInstanceOf(RateLimitError);
    expect(server.count()).toBe(4);
  });

  it('a failure line names the host and the path', async () => {
    server.injectFault(1, { status: 404 });
    const host = new URL(server.url).host;
    await expect(client.request({ path: '/ok', retry: false })).rejects.toThrow(`GET ${host}/ok answered HTTP 404`);
  });

  it('never retries 401', async () => {
    server.injectFault(5, { status: 401 });
    await expect(client.request({ path: '/ok' })).rejects.toBeInstanceOf(AuthError);
    expect(server.count()).toBe(1);
  });

  it('does not retry other 4xx', async () => {
    server.injectFault(5, { status: 400 });
    await expect(client.request({ path: '/ok' })).rejects.toBeInstanceOf(RejectedError);
    expect(server.count()).toBe(1);
  });

  it('does not retry a POST unless asked (it may have acted)', async () => {
    server.injectFault(5, { status: 503 });
    await expect(client.request({ method: 'POST', path: '/echo', body: { json: { a: 1 } } })).rejects.toBeInstanceOf(TransientError);
    expect(server.count()).toBe(1);
  });

  it('turns 10 concurrent identical GETs into 1 request', async () => {
    const all = Promise.all(Array.from({ length: 10 }, () => client.request({ path: '/held' })));
    await until(() => held.length > 0);
    held.shift()!();
    const results = await all;
    expect(results.every((r) => (r.data as { value: number }).value === 1)).toBe(true);
    expect(server.count('GET', '/held')).toBe(1);
  });

  it('limits the requests in flight per account', async () => {
    let inFlight = 0;
    let peak = 0;
    server.route('POST', '/count', async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise<void>((r) => held.push(r));
      inFlight--;
      return { json: {} };
    });
    const limited = new HttpClient({ baseUrl: server.url, redactor: new Redactor(), maxConcurrent: 2 });
    let done = 0;
    const all = Promise.all(
      Array.from({ length: 6 }, (_, i) => limited.request({ method: 'POST', path: '/count', body: { json: { i } } }).then(() => done++)),
    );
    // The limit lets two through at once (each on a connection of its own); then release them one at a time.
    await until(() => held.length === 2);
    while (done < 6) {
      await until(() => held.length > 0 || done >= 6);
      held.shift()?.();
      await until(() => held.length > 0 || done >= 6);
    }
    await all;
    await limited.close();
    expect(peak).toBe(2);
  });

  it('keeps secrets out of error messages, including in URLs and reply excerpts', async () => {
    server.route('GET', '/login', (r) => ({ status: 403, text: `bad password ${r.query.get('password')} for user` }));
    const err = await client.request({ path: '/login', query: { user: 'alice', password: SECRET } }).catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(encodeURIComponent(SECRET));
    expect(err.message).toContain('***');
    const dead = new HttpClient({
      baseUrl: `http://127.0.0.1:1/x?token=${encodeURIComponent(SECRET)}`,
      redactor: new Redactor([SECRET]),
      retries: 0,
    });
    const netErr = await dead.request({ path: '' }).catch((e) => e);
    await dead.close();
    expect(netErr).toBeInstanceOf(TransientError);
    expect(netErr.message).not.toContain(SECRET);
    expect(netErr.message).not.toContain(encodeURIComponent(SECRET));
  });
});
