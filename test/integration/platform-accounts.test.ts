import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeHomebridge } from '../helpers/fakeHomebridge';
import { ManualClock } from '../helpers/manualClock';

/** Many accounts at start-up: they start a few at a time, and none of them piles listeners on a shared signal. */
describe('many accounts on one platform', () => {
  let server: http.Server;
  let base: string;
  let inFlight = 0;
  let answer: 'hold' | 503 = 'hold';
  const held: http.ServerResponse[] = [];
  let hb: FakeHomebridge | undefined;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      if (answer === 'hold') {
        inFlight++;
        held.push(res);
        res.once('close', () => inFlight--);
      } else res.writeHead(503).end('down');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    hb?.shutdown();
    hb?.dispose();
    hb = undefined;
    held.splice(0).forEach((res) => res.destroy());
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const accounts = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      label: `Site ${i}`,
      server: 'custom',
      baseUrl: `${base}/s${i}`,
      username: `u${i}@example.org`,
      password: 'p',
    }));

  it('starts 16 accounts at once; one whose first read hangs gives its place after 2 s', async () => {
    answer = 'hold';
    const clock = new ManualClock();
    hb = new FakeHomebridge({ overkiz: accounts(40) }, clock);
    await hb.launch();
    await clock.settle(100);
    expect(inFlight).toBe(16);
    await clock.advance(1_900);
    expect(inFlight).toBe(16);
    await clock.advance(100);
    await clock.settle(100);
    expect(inFlight).toBe(32);
    await clock.advance(2_000);
    await clock.settle(100);
    expect(inFlight).toBe(40);
  });

  it('300 failing accounts: every one is tried, and none of them hangs a listener on the platform-wide signal', async () => {
    answer = 503;
    hb = new FakeHomebridge({ overkiz: accounts(300) }, new ManualClock());
    await hb.launch();
    await hb.platform.started;
    const failed = hb.log.lines.filter((l) => /HTTP 503/.test(l.message));
    expect(new Set(failed.map((l) => l.message.match(/^\[Overkiz\] Site (\d+):/)?.[1])).size).toBe(300);
    // Node walks an EventTarget's listeners on every add: thousands on one signal made each start slower.
    const shared = (hb.platform as unknown as { abort: AbortController }).abort.signal;
    expect(getEventListeners(shared, 'abort').length).toBeLessThan(5);
  });

  const integrations = () => (hb!.platform as unknown as { integrations: Map<string, unknown> }).integrations.size;

  it('3,000 accounts are parsed and created in slices, with turns of the event loop between; a few all in one go', async () => {
    answer = 503;
    hb = new FakeHomebridge({ overkiz: accounts(3) }, new ManualClock());
    await hb.launch();
    expect(integrations()).toBe(3);
    await hb.platform.started;
    hb.shutdown();
    hb.dispose();
    hb = new FakeHomebridge({ overkiz: accounts(3000) }, new ManualClock());
    await hb.launch();
    // Back from launch, the event loop had turns: the accounts are not all there yet.
    expect(integrations()).toBeLessThan(3000);
    while (integrations() < 3000) await new Promise((r) => setTimeout(r, 10));
  });
});
