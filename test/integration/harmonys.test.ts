import * as hap from 'hap-nodejs';
import { HarmonysIntegration } from '../../src/integrations/harmonys/integration';
import { harmonysAccountSchema } from '../../src/integrations/harmonys/account';
import { demoHarmonys, HarmonysSimulator } from '../../src/simulators/harmonys';
import { FakeHomebridge } from '../helpers/fakeHomebridge';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';
import { selfSigned, type SelfSigned } from '../helpers/tls';

const KEY = 'school-api-key-0123456789abcdef';
const { Service: S, Characteristic: C } = hap;
let tls: SelfSigned;

beforeAll(() => {
  tls = selfSigned();
});

function options() {
  const o = demoHarmonys(KEY);
  o.tls = tls;
  return o;
}

const INTRUSION = 'b7e1a9c0-0001-4f1e-8a2b-6c3d5e7f9a01';
const END = 'b7e1a9c0-0004-4f1e-8a2b-6c3d5e7f9a04';
const CONFINEMENT = 'b7e1a9c0-0002-4f1e-8a2b-6c3d5e7f9a02';
const [PRIMARY, SECONDARY, KINDERGARTEN] = demoHarmonys(KEY).sites.map((s) => s.uuid);

interface SetupOptions {
  key?: string;
  fingerprint?: string;
  sim?: HarmonysSimulator;
  clock?: ManualClock;
  extraButtons?: string[];
  account?: Record<string, unknown>;
}

async function setup(opts: SetupOptions = {}) {
  const clock = opts.clock ?? new ManualClock();
  const sim = opts.sim ?? new HarmonysSimulator(options());
  if (!opts.sim) await sim.start();
  const log = new CapturedLog();
  const account = harmonysAccountSchema.parse({
    label: 'Schools',
    baseUrl: sim.url,
    apiKey: opts.key ?? KEY,
    certificateFingerprint: opts.fingerprint ?? tls.fingerprint,
    pollIntervalSeconds: 15,
    buttons: [INTRUSION, END, 'not-on-the-server', ...(opts.extraButtons ?? [])].map((buttonUuid) => ({ buttonUuid })),
    ...opts.account,
  });
  const integration = new HarmonysIntegration(account, { log, clock, storagePath: '/nonexistent' });
  clock.busy = () => sim.server.inFlight > 0 || integration.http.inFlight > 0;
  const abort = new AbortController();
  await integration.start(abort.signal);
  const press = () => integration.execute(`button:${INTRUSION}`, { capabilityId: 'press', type: 'setOn', on: true });
  return {
    clock,
    sim,
    log,
    integration,
    press,
    sensor: (site: string) => integration.devices().find((d) => d.id === `site:${site}`)!.capabilities[0],
    async stop() {
      abort.abort();
      await sim.stop();
    },
  };
}

describe('Harmonys over TLS with a pinned certificate', () => {
  it('shows every site and only the listed buttons that exist; an unknown button is reported once', async () => {
    const t = await setup();
    try {
      expect(
        t.integration
          .devices()
          .map((d) => d.name)
          .sort(),
      ).toEqual([
        'City kindergarten',
        'End of alert',
        'Intrusion',
        'Jules Ferry primary school',
        'Marie Curie secondary school',
        'Schools any site',
        'Schools server',
      ]);
      expect(t.log.matching(/button not-on-the-server is not on the server/, 'error')).toHaveLength(1);
      await t.clock.advance(60_000);
      expect(t.log.matching(/not-on-the-server/)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('sends exactly one press per switch-on, confirms the alert right away, and logs the sites by name', async () => {
    const t = await setup();
    try {
      t.sim.server.resetLog();
      await t.press();
      expect(t.sim.presses).toEqual([{ buttonUuid: INTRUSION, siteUuids: [PRIMARY, SECONDARY, KINDERGARTEN] }]);
      await t.clock.advance(100);
      // the alert state was read again at once, not at the end of the interval
      expect(t.sim.server.count('GET', '/api/v1/sites/inAlert')).toBe(1);
      expect(t.sensor(PRIMARY)).toMatchObject({ value: true });
      // the catalogue does not say it, the alert in progress does
      expect(t.integration.device(`button:${INTRUSION}`)!.model).toBe('PPMS alert button');
      expect(
        t.log.matching(/Intrusion pressed: acknowledged by Jules Ferry primary school, Marie Curie secondary school, City kindergarten/),
      ).toHaveLength(1);
      expect(t.log.matching(/Jules Ferry primary school: IN ALERT \(Intrusion\)/)).toHaveLength(1);
      await t.integration.execute(`button:${END}`, { capabilityId: 'press', type: 'setOn', on: true });
      await t.clock.advance(100);
      expect(t.sensor(PRIMARY)).toMatchObject({ value: false });
      expect(t.sim.presses).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });

  it('refuses a second switch-on within 10 s of an accepted press with an error (nothing sent), and accepts one after', async () => {
    const t = await setup();
    try {
      await t.press();
      await t.clock.advance(4_000);
      await expect(t.press()).rejects.toThrow(/this switch-on sent nothing/);
      expect(t.sim.presses).toHaveLength(1);
      expect(t.log.matching(/switch-on refused, NOT sent: this button was pressed 4 s ago/, 'warn')).toHaveLength(1);
      await t.clock.advance(7_000);
      await t.press();
      expect(t.sim.presses).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });

  it('a partial acknowledgement does not throw but flags a fault; no acknowledgement throws', async () => {
    const sim = new HarmonysSimulator(options());
    sim.opts.sites[2].deaf = true;
    await sim.start();
    const t = await setup({ sim });
    try {
      await expect(t.press()).resolves.toBeUndefined();
      const button = () => t.integration.devices().find((d) => d.id === `button:${INTRUSION}`)!.capabilities[0];
      expect(button()).toMatchObject({ on: false, fault: true });
      expect(t.log.matching(/NOT acknowledged by City kindergarten/, 'warn')).toHaveLength(1);
      for (const s of sim.opts.sites) s.deaf = true;
      await t.clock.advance(11_000);
      await expect(t.press()).rejects.toThrow(/no site acknowledged/);
      expect(sim.presses).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });

  it('a failed press does not arm the double-tap guard: a switch-on 2 s after a 429 is sent, both outcomes told truly', async () => {
    const t = await setup();
    try {
      t.sim.server.injectFault(1, { status: 429, pathPrefix: '/api/v1/button/press' });
      await expect(t.press()).rejects.toThrow();
      await t.clock.advance(2_000);
      await expect(t.press()).resolves.toBeUndefined();
      expect(t.sim.server.count('POST', '/api/v1/button/press')).toBe(2);
      expect(t.sim.presses).toHaveLength(1);
      expect(t.log.matching(/switch-on refused/)).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });

  it('a failing status route leaves the buttons pressable (one POST each) and shows on the site sensors only', async () => {
    const t = await setup();
    try {
      t.sim.server.injectFault(1000, { status: 520, pathPrefix: '/api/v1/sites/disconnected' });
      await t.clock.advance(2 * 60_000);
      const byId = (id: string) => t.integration.device(id)!;
      expect(byId(`button:${INTRUSION}`).available).toBe(true);
      expect(byId(`site:${PRIMARY}`).available).toBe(false);
      await expect(t.press()).resolves.toBeUndefined();
      expect(t.sim.server.count('POST', '/api/v1/button/press')).toBe(1);
      expect(t.log.matching(/reading the disconnected sites failed: .*520/, 'warn')).toHaveLength(1);
      t.sim.server.clearFaults();
      await t.clock.advance(2 * 60_000);
      expect(byId(`site:${PRIMARY}`).available).toBe(true);
      expect(t.log.matching(/the disconnected sites can be read again/, 'info')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('a button whose target site is disconnected shows a fault and still presses; one the server stops listing is kept', async () => {
    const t = await setup();
    try {
      const button = () => t.integration.device(`button:${INTRUSION}`);
      expect(button()!.capabilities[0].fault).toBe(false);
      t.sim.opts.sites[1].disconnected = { repeater: true, sigma: false };
      await t.clock.advance(16_000);
      expect(button()!.capabilities[0].fault).toBe(true);
      await expect(t.press()).resolves.toBeUndefined();
      expect(t.sim.server.count('POST', '/api/v1/button/press')).toBe(1);
      t.sim.opts.sites[1].disconnected = undefined;
      t.sim.opts.buttons = t.sim.opts.buttons.filter((b) => b.uuid !== INTRUSION);
      t.integration.rediscover();
      await t.clock.advance(16_000);
      expect(button()).toMatchObject({ available: true, capabilities: [{ fault: true }] });
      await t.clock.advance(30 * 60_000);
      expect(t.log.matching(/Intrusion \(.*\) is no longer listed by the server; kept in Home with a fault/, 'warn')).toHaveLength(1);
      await t.clock.advance(31 * 60_000);
      expect(t.log.matching(/is no longer listed by the server/, 'warn')).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });

  it('an /sites/inAlert reply with an unreadable entry: the good ones still show, one warning', async () => {
    const t = await setup();
    try {
      const body = JSON.stringify([{ sites: [{ uuid: PRIMARY }], button: { uuid: INTRUSION, name: 'Intrusion', number: '2' } }, 'garbage']);
      t.sim.server.injectFault(3, { status: 200, body, pathPrefix: '/api/v1/sites/inAlert' });
      await t.clock.advance(16_000);
      expect(t.sensor(PRIMARY)).toMatchObject({ value: true });
      await t.clock.advance(32_000);
      expect(t.log.matching(/\/sites\/inAlert: 1 entry was unreadable and left out/, 'warn')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('a press is never retried, even when the reply is lost', async () => {
    const t = await setup();
    try {
      t.sim.server.injectFault(1, { reset: true, pathPrefix: '/api/v1/button/press' });
      await expect(t.press()).rejects.toThrow();
      expect(t.sim.server.count('POST', '/api/v1/button/press')).toBe(1);
      expect(t.log.matching(/sent at most once and is not retried/, 'error')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('handles 429 and 520 without request storms', async () => {
    const t = await setup();
    try {
      t.sim.server.resetLog();
      t.sim.server.injectFault(100, { status: 429, pathPrefix: '/api/v1/sites' });
      await t.clock.advance(60_000);
      const busy = t.sim.server.count();
      // 4 cycles (15 s) at most, 1 try + 2 retries of one route each, then backoff; the poller keeps trying
      expect(busy).toBeGreaterThanOrEqual(6);
      expect(busy).toBeLessThanOrEqual(12);
      t.sim.server.clearFaults();
      t.sim.server.resetLog();
      t.sim.server.injectFault(100, { status: 520 });
      await t.clock.advance(60_000);
      // the backoff of the 429 episode goes on (no success in between): at least one more attempt, with its retries
      expect(t.sim.server.count()).toBeGreaterThanOrEqual(3);
      expect(t.sim.server.count()).toBeLessThanOrEqual(12);
    } finally {
      await t.stop();
    }
  });

  it('identical concurrent reads become one request (the server would answer 429 to the second)', async () => {
    const sim = new HarmonysSimulator({ ...options(), responseDelayMs: 50 });
    await sim.start();
    const t = await setup({ sim });
    try {
      sim.server.resetLog();
      const client = (t.integration as unknown as { client: { inAlert(): Promise<unknown> } }).client;
      await Promise.all([client.inAlert(), client.inAlert(), client.inAlert()]);
      expect(sim.server.count('GET', '/api/v1/sites/inAlert')).toBe(1);
      expect(sim.server.requests.filter((r) => r.status === 429)).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it('a wrong key: one request per backoff step, a clear log line, and no press is sent', async () => {
    const t = await setup({ key: 'wrong-key-000000000000' });
    try {
      await t.clock.advance(2 * 60 * 60_000);
      // first attempt, then one every 30 minutes (the floor after a refused key): at 0, 30, 60, 90 and 120 min
      expect(t.sim.server.count()).toBe(5);
      expect(t.sim.badKeyAttempts).toBe(t.sim.server.count());
      expect(t.log.matching(/reading the alert state failed: .*401.*Check the credentials/, 'error')).toHaveLength(1);
      expect(t.log.text()).not.toContain('wrong-key-000000000000');
    } finally {
      await t.stop();
    }
  });

  it('a wrong fingerprint refuses to connect with a clear error', async () => {
    const t = await setup({ fingerprint: 'AA'.repeat(32) });
    try {
      expect(t.sim.server.count()).toBe(0);
      expect(t.log.matching(/does not match certificateFingerprint/, 'error')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('the pinned CA certificate works too, and a server not signed by it is refused', async () => {
    const sim = new HarmonysSimulator(options());
    await sim.start();
    const clock = new ManualClock();
    const log = new CapturedLog();
    const ok = new HarmonysIntegration(harmonysAccountSchema.parse({ baseUrl: sim.url, apiKey: KEY, caCertificate: tls.cert }), {
      log,
      clock,
      storagePath: '/x',
    });
    const other = selfSigned('other.lan');
    const ko = new HarmonysIntegration(
      harmonysAccountSchema.parse({ label: 'KO', baseUrl: sim.url, apiKey: KEY, caCertificate: other.cert }),
      { log, clock, storagePath: '/x' },
    );
    const abort = new AbortController();
    try {
      await ok.start(abort.signal);
      expect(ok.devices().length).toBeGreaterThan(0);
      await ko.start(abort.signal);
      expect(ko.devices()).toHaveLength(0);
      expect(log.matching(/KO: reading the alert state failed/, 'error')).toHaveLength(1);
    } finally {
      abort.abort();
      await sim.stop();
    }
  });
});

describe('Harmonys licence and certificate checks', () => {
  it('warns once a day when the licence expires within 30 days and when the certificate has expired', async () => {
    const sim = new HarmonysSimulator({
      ...options(),
      licence: { clientName: 'Town', nbSites: 3, expired: false, expirationDate: '10/12/2026' },
      https: { expired: true, expirationDate: '01/11/2026' },
    });
    await sim.start();
    const t = await setup({ sim });
    try {
      await t.clock.advance(60_000);
      expect(t.log.matching(/the operating licence expires on 10\/12\/2026/, 'warn')).toHaveLength(1);
      expect(t.log.matching(/the HTTPS certificate has expired \(01\/11\/2026\)/, 'warn')).toHaveLength(1);
      expect(sim.server.count('GET', '/api/v1/licence')).toBe(1);
      // also on a status accessory, not only in the log
      expect(t.integration.device('server')!.capabilities[0]).toMatchObject({ value: true, fault: true });
      t.clock.t += 24 * 3_600_000; // a day later
      await t.clock.advance(60_000);
      expect(sim.server.count('GET', '/api/v1/licence')).toBe(2);
    } finally {
      await t.stop();
    }
  });
});

describe('Harmonys alert buttons through the platform', () => {
  it('never presses on a restart with the switch cached as on, and shows it off', async () => {
    const sim = new HarmonysSimulator(options());
    await sim.start();
    const clock = new ManualClock();
    clock.busy = () => sim.server.inFlight > 0;
    const hb = new FakeHomebridge(
      {
        harmonys: [
          {
            label: 'Schools',
            baseUrl: sim.url,
            apiKey: KEY,
            certificateFingerprint: tls.fingerprint,
            buttons: [{ buttonUuid: INTRUSION }],
          },
        ],
      },
      clock,
    );
    try {
      await hb.launch();
      for (let i = 0; i < 50 && !hb.byName('Intrusion'); i++) await clock.advance(1000);
      const intrusion = () => hb.byName('Intrusion')!;
      (intrusion().context as { device: { capabilities: Array<{ on: boolean }> } }).device.capabilities[0].on = true;
      hb.shutdown();
      const answered = sim.server.requests.filter((r) => r.path.endsWith('/sites/inAlert') && r.status === 200).length;
      await hb.launch();
      expect((await hb.read(intrusion(), S.Switch, C.On, 'press')).value).toBe(false);
      // run until the restarted platform has read the server again
      for (
        let i = 0;
        i < 100 && sim.server.requests.filter((r) => r.path.endsWith('/sites/inAlert') && r.status === 200).length <= answered;
        i++
      )
        await clock.advance(5000);
      await clock.advance(60_000);
      expect(sim.presses).toHaveLength(0);
      // a switch-on through HomeKit presses once and the switch comes back off
      expect(await hb.write(intrusion(), S.Switch, C.On, true, 'press')).toEqual({});
      await new Promise((r) => setImmediate(r));
      expect(sim.presses).toHaveLength(1);
      expect(intrusion().getServiceById(S.Switch, 'press')!.getCharacteristic(C.On).value).toBe(false);
    } finally {
      hb.shutdown();
      await sim.stop();
    }
  });
});

describe('Harmonys presses: acknowledgements that take time, and what the press really did', () => {
  /** A simulator whose press replies wait `ackDelayMs` on the test's manual clock. */
  async function slow(ackDelayMs: number, tweak: (o: ReturnType<typeof options>) => void = () => undefined) {
    const clock = new ManualClock();
    const o = options();
    o.ackDelayMs = ackDelayMs;
    o.sleep = (ms) => clock.sleep(ms);
    tweak(o);
    const sim = new HarmonysSimulator(o);
    await sim.start();
    const t = await setup({ sim, clock, extraButtons: [CONFINEMENT] });
    // A press waiting for its acknowledgement on the manual clock is not work in progress.
    clock.busy = () => sim.server.inFlight > sim.waiting;
    const pressOf = (uuid: string) => t.integration.execute(`button:${uuid}`, { capabilityId: 'press', type: 'setOn', on: true });
    const posts = () => sim.server.count('POST', '/api/v1/button/press');
    return { ...t, pressOf, posts };
  }

  it('an acknowledgement after 12 s: success in Home, one POST', async () => {
    const t = await slow(12_000);
    try {
      const outcome = t.press().then(
        () => 'ok',
        (e: Error) => e.message,
      );
      await t.clock.advance(13_000);
      expect(await outcome).toBe('ok');
      expect(t.posts()).toBe(1);
    } finally {
      await t.stop();
    }
  });

  it('no acknowledgement within 30 s: the alert state decides (sites in alert: success), never a second POST', async () => {
    const t = await slow(40_000);
    try {
      const outcome = t.press().then(
        () => 'ok',
        (e: Error) => e.message,
      );
      await t.clock.advance(31_000);
      expect(await outcome).toBe('ok');
      expect(t.log.matching(/no acknowledgement within 30 s, but .* are in alert with this button/, 'warn')).toHaveLength(1);
      await t.clock.advance(60_000);
      expect(t.posts()).toBe(1);
    } finally {
      await t.stop();
    }
  });

  it('no acknowledgement and no site in alert with this button: an error in Home, never a second POST', async () => {
    const t = await slow(40_000, (o) => o.sites.forEach((site) => (site.deaf = true)));
    try {
      const outcome = t.press().then(
        () => 'ok',
        (e: Error) => e.message,
      );
      await t.clock.advance(31_000);
      expect(await outcome).toMatch(/no targeted site is in alert with this button/);
      expect(t.log.matching(/the press is taken as NOT sent/, 'error')).toHaveLength(1);
      await t.clock.advance(60_000);
      expect(t.posts()).toBe(1);
    } finally {
      await t.stop();
    }
  });

  it('presses of different buttons do not wait for each other', async () => {
    const t = await slow(20_000);
    try {
      const done: string[] = [];
      const a = t.pressOf(INTRUSION).then(
        () => done.push('intrusion'),
        () => done.push('intrusion failed'),
      );
      const b = t.pressOf(CONFINEMENT).then(
        () => done.push('confinement'),
        () => done.push('confinement failed'),
      );
      await t.clock.advance(21_000);
      expect(done.sort()).toEqual(['confinement', 'intrusion']);
      await Promise.all([a, b]);
      expect(t.posts()).toBe(2);
    } finally {
      await t.stop();
    }
  });

  it('a site already in a higher-priority alert: the button shows a fault and the log names the site', async () => {
    const t = await slow(0, (o) => {
      o.buttons.find((b) => b.uuid === INTRUSION)!.priority = 5;
    });
    try {
      await t.pressOf(INTRUSION);
      await t.clock.advance(11_000);
      await t.pressOf(CONFINEMENT);
      const button = t.integration.device(`button:${CONFINEMENT}`)!.capabilities[0];
      expect(button.fault).toBe(true);
      expect(
        t.log.matching(/Confinement: acknowledged, but these sites run another alert.*Jules Ferry primary school \(Intrusion\)/),
      ).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});

describe('Harmonys: which alert is on', () => {
  it('per-kind sensors per site and district-wide, a disconnected sensor per site', async () => {
    const kinds = [
      { name: 'Intrusion', buttonUuids: [INTRUSION] },
      { name: 'Confinement', buttonUuids: [CONFINEMENT] },
    ];
    const t = await setup({ extraButtons: [CONFINEMENT], account: { alertKinds: kinds } });
    try {
      const sensors = (id: string) =>
        Object.fromEntries(t.integration.device(id)!.capabilities.map((c) => [c.name, (c as { value?: unknown }).value]));
      expect(sensors(`site:${PRIMARY}`)).toEqual({
        'Jules Ferry primary school alert': false,
        'Jules Ferry primary school disconnected': false,
        'Jules Ferry primary school Intrusion': false,
        'Jules Ferry primary school Confinement': false,
      });
      t.sim.alerts.set(PRIMARY, INTRUSION);
      t.sim.alerts.set(SECONDARY, CONFINEMENT);
      t.sim.opts.sites[2].disconnected = { repeater: false, sigma: true };
      await t.clock.advance(16_000);
      expect(sensors(`site:${PRIMARY}`)).toMatchObject({
        'Jules Ferry primary school Intrusion': true,
        'Jules Ferry primary school Confinement': false,
      });
      expect(sensors(`site:${SECONDARY}`)).toMatchObject({
        'Marie Curie secondary school Intrusion': false,
        'Marie Curie secondary school Confinement': true,
      });
      expect(sensors(`site:${KINDERGARTEN}`)).toMatchObject({ 'City kindergarten alert': false, 'City kindergarten disconnected': true });
      expect(sensors('district')).toEqual({ 'Any site in alert': true, 'Any site: Intrusion': true, 'Any site: Confinement': true });
      t.sim.alerts.clear();
      await t.clock.advance(16_000);
      expect(sensors('district')).toEqual({ 'Any site in alert': false, 'Any site: Intrusion': false, 'Any site: Confinement': false });
    } finally {
      await t.stop();
    }
  });
});
