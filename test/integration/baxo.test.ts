import { BaxoIntegration } from '../../src/integrations/baxo/integration';
import { baxoAccountSchema } from '../../src/integrations/baxo/account';
import { BaxoSimulator, demoBaxo, type SimBaxoDevice } from '../../src/simulators/baxo';
import * as hap from 'hap-nodejs';
import type { HAP } from 'homebridge';
import { eveTypes } from '../../src/homekit/eveHistory';
import { decodeStatus } from '../helpers/eveDecode';
import { FakeHomebridge } from '../helpers/fakeHomebridge';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';
import { IntegrationRunner } from '../helpers/integrationRunner';
import { tempDir } from '../helpers/tempDir';

const PASSWORD = 'baxo-p@ss&word';

function fiveDevices(): SimBaxoDevice[] {
  return Array.from({ length: 5 }, (_, d) => ({
    id: `dev${d}`,
    name: `Device ${d}`,
    tags: Array.from({ length: 6 }, (_, t) => ({ reference: `TAG_${t}`, value: String(20 + t), writable: t === 5 })),
  }));
}

interface SetupOptions {
  docTypo?: 'key' | 'malformed';
  devices?: SimBaxoDevice[];
  tags?: object[];
  password?: string;
  writeReply?: string;
  storagePath?: string;
  account?: Record<string, unknown>;
}

async function setup(opts: SetupOptions = {}) {
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
  const devices = opts.devices ?? fiveDevices();
  const sim = new BaxoSimulator({
    username: 'fm@example.org',
    password: PASSWORD,
    contracts: [{ id: 'c1', reference: 'CT1', devices }],
    docTypo: opts.docTypo,
    writeReply: opts.writeReply,
    now: () => clock.now(),
  });
  await sim.start();
  const log = new CapturedLog();
  const tags =
    opts.tags ??
    devices.flatMap((d) => d.tags.map((t, i) => ({ deviceId: d.id, tagReference: t.reference, as: i === 5 ? 'switch' : 'temperature' })));
  const account = baxoAccountSchema.parse({
    label: 'Site',
    baseUrl: sim.url,
    username: 'fm@example.org',
    password: opts.password ?? PASSWORD,
    pollIntervalSeconds: 60,
    tags,
    ...opts.account,
  });
  const storagePath = opts.storagePath ?? tempDir('baxo');
  const runner = new IntegrationRunner(() => new BaxoIntegration(account, { log, clock, storagePath }), clock, sim);
  await runner.start();
  return {
    clock,
    sim,
    log,
    get integration() {
      return runner.integration;
    },
    stop: () => runner.stop(),
    /** Homebridge restarts: a new integration on the same storage dir, against the same service. */
    restart: async () => void (await runner.start()),
  };
}

describe('BAXO under a sustained fault: no retry storm', () => {
  it('5xx for 10 minutes: at most one request per cycle beyond the backoff (never 4 per cycle)', async () => {
    const t = await setup();
    try {
      await t.clock.advance(10 * 60_000);
      const healthy = t.sim.server.requests.length;
      t.sim.server.resetLog();
      t.sim.server.injectFault(100_000, { status: 503, body: '<html>busy</html>' });
      await t.clock.advance(10 * 60_000);
      const underFault = t.sim.server.requests.length;
      // 10 healthy cycles cost `healthy` requests; under the fault a cycle may retry once and the loop backs off, so the
      // vendor sees fewer requests than when healthy (three retries per request sent more: 16 against 13)
      expect(underFault).toBeGreaterThan(0);
      expect(underFault).toBeLessThanOrEqual(healthy);
    } finally {
      await t.stop();
    }
  });
});

describe('BAXO against the simulator', () => {
  it('30 tags over 5 devices in 1 contract: exactly 1 request per poll cycle', async () => {
    const t = await setup();
    try {
      expect(t.integration.devices()).toHaveLength(5);
      expect(t.integration.devices()[0].capabilities).toHaveLength(6);
      t.sim.server.resetLog();
      await t.clock.advance(10 * 60_000);
      expect(t.sim.server.count()).toBe(10);
      expect(t.sim.server.requests.every((r) => new URLSearchParams(r.body).get('get') === 'devices-realtimes')).toBe(true);
      const body = new URLSearchParams(t.sim.server.requests[0].body);
      expect(body.get('deviceIdentifiers')?.split(',')).toHaveLength(5);
      expect(body.get('tagReferences')?.split(',')).toHaveLength(6);
    } finally {
      await t.stop();
    }
  });

  it('sends the password in at most one request a day, never in a URL', async () => {
    const t = await setup();
    try {
      await t.clock.advance(2 * 60 * 60_000);
      const withPassword = (r: { body: string }) => new URLSearchParams(r.body).has('password');
      const days = new Set(t.sim.server.requests.filter(withPassword).map((r) => new Date(r.at).toISOString().slice(0, 10)));
      expect(t.sim.server.requests.filter(withPassword)).toHaveLength(1);
      expect(days.size).toBe(1);
      expect(t.sim.server.requests.every((r) => !r.query.includes('password') && !r.query.includes(encodeURIComponent(PASSWORD)))).toBe(
        true,
      );
      // the next UTC day: the password once more
      t.clock.t = Date.parse('2026-11-24T00:30:00Z');
      await t.clock.advance(5 * 60_000);
      expect(t.sim.server.requests.filter(withPassword)).toHaveLength(2);
      // logged on the test's clock: one password per (UTC) day of the schedule, not of the machine
      const passwordDays = t.sim.server.requests.filter(withPassword).map((r) => new Date(r.at).toISOString().slice(0, 10));
      expect(passwordDays).toEqual(['2026-11-23', '2026-11-24']);
      expect(t.log.text()).not.toContain(PASSWORD);
    } finally {
      await t.stop();
    }
  });

  it("reads the doc's typo'd multi-device reply, malformed row included", async () => {
    const t = await setup({ docTypo: 'malformed' });
    try {
      const d = t.integration.devices().find((x) => x.id === 'dev3')!;
      expect(d.capabilities.find((c) => c.id === 'TAG_2')).toMatchObject({ kind: 'sensor', value: 22 });
    } finally {
      await t.stop();
    }
  });

  it('a write reaches the device and reads back', async () => {
    const t = await setup();
    try {
      await t.integration.execute('dev2', { capabilityId: 'TAG_5', type: 'setOn', on: false });
      // answered once queued; the write goes out with its batch
      expect(t.sim.writes).toEqual([]);
      await t.clock.advance(200);
      expect(t.sim.writes).toEqual([{ deviceId: 'dev2', tagRef: 'TAG_5', value: '0' }]);
      await t.clock.advance(60_000);
      expect(
        t.integration
          .devices()
          .find((d) => d.id === 'dev2')!
          .capabilities.find((c) => c.id === 'TAG_5'),
      ).toMatchObject({ kind: 'switch', on: false });
      await expect(t.integration.execute('dev2', { capabilityId: 'TAG_1', type: 'setOn', on: true })).rejects.toThrow(/only switch tags/);
    } finally {
      await t.stop();
    }
  });

  it.each(['', 'OK', '{}'])('a write answered %j is a success (the doc promises a plain 200)', async (writeReply) => {
    const t = await setup({ writeReply });
    try {
      await t.integration.execute('dev2', { capabilityId: 'TAG_5', type: 'setOn', on: false });
      await t.clock.advance(200);
      expect(t.sim.writes).toHaveLength(1);
      expect(t.integration.device('dev2')!.capabilities.find((c) => c.id === 'TAG_5')).toMatchObject({ on: false });
      expect(t.log.matching(/failed/)).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });

  it('a write answered {"error": ...} is a failure with its text', async () => {
    const t = await setup({ writeReply: '{"error":"tag is locked by the site"}' });
    try {
      const before = (t.integration.device('dev2')!.capabilities.find((c) => c.id === 'TAG_5') as { on: boolean }).on;
      await t.integration.execute('dev2', { capabilityId: 'TAG_5', type: 'setOn', on: !before });
      await t.clock.advance(200);
      expect(t.integration.device('dev2')!.capabilities.find((c) => c.id === 'TAG_5')).toMatchObject({ on: before, fault: true });
      expect(t.log.matching(/setOn\(.*\) failed: BAXO refused the write: tag is locked by the site/, 'warn')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('a refused write shows the real value again, faults the tag and logs one line', async () => {
    const t = await setup();
    try {
      const tag = () => t.integration.device('dev2')!.capabilities.find((c) => c.id === 'TAG_5');
      const before = (tag() as { on: boolean }).on;
      t.sim.server.injectFault(1, { status: 500 });
      await t.integration.execute('dev2', { capabilityId: 'TAG_5', type: 'setOn', on: !before });
      expect(tag()).toMatchObject({ on: !before });
      await t.clock.advance(200);
      expect(tag()).toMatchObject({ on: before, fault: true });
      expect(t.log.matching(/setOn\(.*\) failed: .*showing its real state again/, 'warn')).toHaveLength(1);
      await t.integration.execute('dev2', { capabilityId: 'TAG_5', type: 'setOn', on: !before });
      await t.clock.advance(200);
      expect(tag()).toMatchObject({ on: !before, fault: false });
    } finally {
      await t.stop();
    }
  });

  it('historics with 25,000 rows arrive complete over 3 pages', async () => {
    const devices = [
      {
        id: 'h1',
        name: 'History',
        tags: [
          { reference: 'A', value: '20' },
          { reference: 'B', value: '50' },
        ],
      },
    ];
    const t = await setup({ devices, tags: [{ deviceId: 'h1', tagReference: 'A', as: 'temperature' }] });
    try {
      t.sim.opts.historyRowsPerTag = 12_500;
      t.sim.server.resetLog();
      const now = Math.floor((t.clock.now() - Date.UTC(2000, 0, 1)) / 1000);
      const history = await t.integration.client.historics('c1', ['h1'], now - 13_000 * 60, now, ['A', 'B']);
      const rows = history.flatMap((h) => h.logs);
      expect(rows).toHaveLength(25_000);
      expect(new Set(rows.map((r, i) => `${history.find((h) => h.logs.includes(r))?.tagReference}/${r.timestamp}/${i >= 0}`)).size).toBe(
        25_000,
      );
      expect(t.sim.server.count()).toBe(3);
      expect(t.sim.server.requests.every((r) => !r.query.includes('password'))).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('flags a tag whose reading stopped coming as stale, and an inactive device as unavailable', async () => {
    const devices = [
      { id: 'a', name: 'Active', tags: [{ reference: 'T', value: '20', periodSeconds: 60 }] },
      { id: 'b', name: 'Suspended', status: 2 as const, tags: [{ reference: 'T', value: '20' }] },
    ];
    const t = await setup({
      devices,
      tags: [
        { deviceId: 'a', tagReference: 'T', as: 'temperature' },
        { deviceId: 'b', tagReference: 'T', as: 'temperature' },
      ],
    });
    try {
      expect(t.integration.devices().find((d) => d.id === 'b')!.available).toBe(false);
      expect(t.integration.devices().find((d) => d.id === 'a')!.capabilities[0].fault).toBe(false);
      t.sim.device('a')!.tags[0].stopped = true; // the device stops reporting
      await t.clock.advance(10 * 60_000);
      expect(t.integration.devices().find((d) => d.id === 'a')!.capabilities[0].fault).toBe(true);
    } finally {
      await t.stop();
    }
  });

  const cap = (t: { integration: BaxoIntegration }, device: string, id: string) =>
    t.integration.device(device)?.capabilities.find((c) => c.id === id);

  it("a typo'd tag or device: a fault on its service and one warning naming it; the rest works", async () => {
    const t = await setup({
      devices: [
        {
          id: 'a',
          name: 'Boiler room',
          tags: [
            { reference: 'LEAK', value: '0' },
            { reference: 'T', value: '20' },
          ],
        },
      ],
      tags: [
        { deviceId: 'a', tagReference: 'LEKA', as: 'leak' },
        { deviceId: 'a', tagReference: 'T', as: 'temperature' },
        { deviceId: 'b', tagReference: 'T', as: 'temperature' },
      ],
    });
    try {
      await t.clock.advance(10 * 60_000);
      expect(cap(t, 'a', 'LEKA')).toMatchObject({ fault: true, value: undefined });
      expect(cap(t, 'a', 'T')).toMatchObject({ fault: false, value: 20 });
      expect(cap(t, 'b', 'T')).toMatchObject({ fault: true });
      expect(t.log.matching(/tag "LEKA" of device a is not in BAXO's replies: check its tagReference/, 'warn')).toHaveLength(1);
      expect(t.log.matching(/device b is not in the device list of contract c1: check its deviceId/, 'warn')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('a restart with a device reporting every 15 min: its period comes from the history, no stale fault', async () => {
    const t = await setup({
      devices: [{ id: 'a', name: 'Tank', tags: [{ reference: 'T', value: '20', periodSeconds: 900, firstStampAgoSeconds: 840 }] }],
      tags: [{ deviceId: 'a', tagReference: 'T', as: 'temperature' }],
    });
    try {
      expect(cap(t, 'a', 'T')).toMatchObject({ fault: false, value: 20 });
      expect(t.sim.server.requests.filter((r) => new URLSearchParams(r.body).get('get') === 'devices-historics')).toHaveLength(1);
      for (let i = 0; i < 30; i++) {
        await t.clock.advance(60_000);
        expect(cap(t, 'a', 'T')).toMatchObject({ fault: false });
      }
      t.sim.device('a')!.tags[0].stopped = true;
      await t.clock.advance(25 * 60_000);
      expect(cap(t, 'a', 'T')).toMatchObject({ fault: true });
    } finally {
      await t.stop();
    }
  });

  it('the contract list failing: tags naming their contract work, the others wait and appear once it can be read', async () => {
    const devices = [
      {
        id: 'a',
        name: 'Boiler',
        tags: [
          { reference: 'T', value: '20' },
          { reference: 'H', value: '40' },
        ],
      },
    ];
    const t = await setup({
      devices,
      tags: [
        { contractId: 'c1', deviceId: 'a', tagReference: 'T', as: 'temperature' },
        { deviceId: 'a', tagReference: 'H', as: 'humidity' },
      ],
      account: { pollIntervalSeconds: 60 },
    });
    try {
      expect(t.integration.device('a')!.capabilities.map((c) => c.id)).toEqual(['T', 'H']);
      await t.stop();
    } catch (err) {
      await t.stop();
      throw err;
    }
    // the same, with get=contracts failing for 3 minutes from the start
    const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
    const sim = new BaxoSimulator({
      username: 'fm@example.org',
      password: PASSWORD,
      contracts: [{ id: 'c1', reference: 'CT1', devices }],
      now: () => clock.now(),
    });
    await sim.start();
    sim.server.injectFault(1000, { status: 503, match: (r) => new URLSearchParams(r.body).get('get') === 'contracts' });
    const log = new CapturedLog();
    const account = baxoAccountSchema.parse({
      baseUrl: sim.url,
      username: 'fm@example.org',
      password: PASSWORD,
      tags: [
        { contractId: 'c1', deviceId: 'a', tagReference: 'T', as: 'temperature' },
        { deviceId: 'a', tagReference: 'H', as: 'humidity' },
      ],
    });
    const integration = new BaxoIntegration(account, { log, clock, storagePath: tempDir('baxo') });
    clock.busy = () => sim.server.inFlight > 0 || integration.http.inFlight > 0;
    const discoveries: string[][] = [];
    integration.onDiscovery((ids) => discoveries.push(ids));
    const abort = new AbortController();
    try {
      const started = integration.start(abort.signal);
      await clock.advance(3 * 60_000);
      await started;
      expect(integration.device('a')!.capabilities.map((c) => c.id)).toEqual(['T']);
      expect(discoveries).toHaveLength(0);
      expect(log.matching(/the contract list could not be read .*the tags without "contractId" wait for it \(H\)/, 'warn')).toHaveLength(1);
      sim.server.clearFaults();
      await clock.advance(2 * 60_000);
      expect(integration.device('a')!.capabilities.map((c) => c.id)).toEqual(['T', 'H']);
      expect(discoveries.length).toBeGreaterThan(0);
    } finally {
      abort.abort();
      await sim.stop();
    }
  });

  it('an event tag as a button: each new event is one press, the reading at start is none', async () => {
    const t = await setup({
      devices: [{ id: 'a', name: 'Gate', tags: [{ reference: 'RING', value: '1', isEvent: true, periodSeconds: 86_400 }] }],
      tags: [{ deviceId: 'a', tagReference: 'RING', as: 'button', name: 'Doorbell' }],
    });
    try {
      expect(cap(t, 'a', 'RING')).toMatchObject({ kind: 'button', presses: 0 });
      await t.clock.advance(5 * 60_000);
      expect(cap(t, 'a', 'RING')).toMatchObject({ presses: 0 });
      t.sim.setTag('a', 'RING', '1');
      await t.clock.advance(60_000);
      expect(cap(t, 'a', 'RING')).toMatchObject({ presses: 1 });
      await t.clock.advance(60_000);
      expect(cap(t, 'a', 'RING')).toMatchObject({ presses: 1 });
    } finally {
      await t.stop();
    }
  });

  it('a latched alarm stays on after the tag clears, survives a restart, and its Reset switch clears it', async () => {
    const t = await setup({
      devices: [{ id: 'a', name: 'Basement', tags: [{ reference: 'LEAK', value: '0', isEvent: true }] }],
      tags: [{ deviceId: 'a', tagReference: 'LEAK', as: 'leak', latch: true, name: 'Floor leak' }],
    });
    try {
      expect(cap(t, 'a', 'LEAK')).toMatchObject({ value: false });
      expect(cap(t, 'a', 'LEAK#reset')).toMatchObject({ kind: 'switch', name: 'Reset Floor leak', on: false });
      t.sim.setTag('a', 'LEAK', '1');
      await t.clock.advance(60_000);
      t.sim.setTag('a', 'LEAK', '0');
      await t.clock.advance(60_000);
      expect(cap(t, 'a', 'LEAK')).toMatchObject({ value: true });
      await t.restart();
      expect(cap(t, 'a', 'LEAK')).toMatchObject({ value: true });
      await t.integration.execute('a', { capabilityId: 'LEAK#reset', type: 'setOn', on: true });
      expect(cap(t, 'a', 'LEAK')).toMatchObject({ value: false });
      expect(cap(t, 'a', 'LEAK#reset')).toMatchObject({ on: false });
      await t.clock.advance(60_000);
      expect(cap(t, 'a', 'LEAK')).toMatchObject({ value: false });
      t.sim.setTag('a', 'LEAK', '1');
      await t.clock.advance(60_000);
      expect(cap(t, 'a', 'LEAK')).toMatchObject({ value: true });
    } finally {
      await t.stop();
    }
  });

  it('listTags: true logs every tag of each configured device once, with its value', async () => {
    const t = await setup({
      devices: [
        {
          id: 'a',
          name: 'Boiler',
          tags: [
            { reference: 'T', value: '20' },
            { reference: 'ALARM', value: '0', isEvent: true },
          ],
        },
      ],
      tags: [{ deviceId: 'a', tagReference: 'T', as: 'temperature' }],
      account: { listTags: true },
    });
    try {
      await t.clock.advance(5 * 60_000);
      expect(t.log.matching(/: tags of device a "Boiler" \(contract c1\): T = "20", ALARM = "0" \(event\)$/, 'info')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('a wrong password: one clear line, no retry storm', async () => {
    const t = await setup({ password: 'nope-nope' });
    try {
      await t.clock.advance(60 * 60_000);
      expect(t.sim.server.count()).toBeLessThanOrEqual(9);
      expect(t.log.matching(/reading the tags failed: .*401.*Check the credentials/, 'error')).toHaveLength(1);
      expect(t.log.text()).not.toContain('nope-nope');
    } finally {
      await t.stop();
    }
  });

  it('skips tags without contractId when the account has several contracts, and says so', async () => {
    const clock = new ManualClock();
    const options = demoBaxo('fm@example.org', PASSWORD);
    options.contracts.push({ id: 'c2', reference: 'CT2', devices: [] });
    const sim = new BaxoSimulator({ ...options, now: () => clock.now() });
    await sim.start();
    const log = new CapturedLog();
    const account = baxoAccountSchema.parse({
      baseUrl: sim.url,
      username: 'fm@example.org',
      password: PASSWORD,
      tags: [
        { deviceId: '14587', tagReference: 'TEMP', as: 'temperature' },
        { contractId: options.contracts[0].id, deviceId: '14587', tagReference: 'HUM', as: 'humidity' },
      ],
    });
    const integration = new BaxoIntegration(account, { log, clock, storagePath: '/x' });
    const abort = new AbortController();
    try {
      await integration.start(abort.signal);
      expect(log.matching(/has 2 contracts: give "contractId" for each tag that has none \(TEMP\)/, 'error')).toHaveLength(1);
      expect(integration.devices()[0].capabilities.map((c) => c.id)).toEqual(['HUM']);
    } finally {
      abort.abort();
      await sim.stop();
    }
  });
});

describe('BAXO Eve history through the platform', () => {
  it('seeds the Eve history of temperature/humidity/CO2 tags with the last 24 h, following every page', async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
    const options = demoBaxo('fm@example.org', PASSWORD);
    const sim = new BaxoSimulator({ ...options, historyRowsPerTag: 2000, pageSize: 1000, now: () => clock.now() });
    await sim.start();
    clock.busy = () => sim.server.inFlight > 0;
    const hb = new FakeHomebridge(
      {
        baxo: [
          {
            label: 'Plant',
            baseUrl: sim.url,
            username: 'fm@example.org',
            password: PASSWORD,
            tags: [
              { deviceId: '14587', tagReference: 'TEMP', as: 'temperature' },
              { deviceId: '14587', tagReference: 'HUM', as: 'humidity' },
              { deviceId: '14587', tagReference: 'DOOR', as: 'contact' },
              { deviceId: '3219875446', tagReference: 'LEAK_FLOOR', as: 'leak' },
            ],
          },
        ],
      },
      clock,
    );
    try {
      await hb.launch();
      const types = eveTypes(hap as unknown as HAP);
      const used = async () => {
        const service = hb.byName('Server room')?.getService(types.service);
        return service ? decodeStatus((await service.getCharacteristic(types.status).handleGetRequest()) as string).usedMemory : 0;
      };
      for (let i = 0; i < 60 && (await used()) < 1441; i++) await clock.advance(1000);
      // 24 h of one-minute readings merged by time (1440 samples), the reference entry, and maybe the live reading
      expect(await used()).toBeGreaterThanOrEqual(1441);
      expect(await used()).toBeLessThanOrEqual(1442);
      const historicsCalls = sim.server.requests.filter(
        (r) => new URLSearchParams(r.body).get('get') === 'devices-historics' || r.query.includes('page='),
      );
      expect(historicsCalls).toHaveLength(3); // 2 tags x 1440 rows = 2880 rows, 1000 per page
      // a device with only event tags keeps no history
      expect(hb.byName('Plant room')?.getService(types.service)).toBeUndefined();
    } finally {
      hb.shutdown();
      await sim.stop();
    }
  });
});
