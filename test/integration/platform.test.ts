import * as hap from 'hap-nodejs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { HomeSmartlinkSimulator, type SimHslHome } from '../../src/simulators/homesmartlink';
import { FakeHomebridge, FakePlatformAccessory } from '../helpers/fakeHomebridge';
import { ManualClock } from '../helpers/manualClock';

const { Service: S, Characteristic: C } = hap;
const NO_RESPONSE = hap.HAPStatus.SERVICE_COMMUNICATION_FAILURE;

function homes(): SimHslHome[] {
  return [
    {
      homeId: 'h1',
      devices: [
        { header: 'D1', roomId: 1, roomName: 'Hall', category: 'Heater', online: true, mode: 'Prog', baseSp: 19, pv: 18.5 },
        { header: 'D2', roomId: 2, roomName: 'Office', category: 'Heater', online: true, mode: 'Prog', baseSp: 20, pv: 20 },
      ],
    },
  ];
}

const account = (url: string, label = 'Site') => ({
  label,
  baseUrl: url,
  clientId: 'cid',
  clientSecret: 'csecret',
  homeIds: ['h1'],
  pollIntervalSeconds: 60,
});

async function until(clock: ManualClock, done: () => boolean, stepMs = 1000, maxSteps = 200): Promise<void> {
  for (let i = 0; i < maxSteps && !done(); i++) await clock.advance(stepMs);
  if (!done()) throw new Error('condition not reached');
}

afterEach(() => {
  expect(FakePlatformAccessory.warnings).toEqual([]);
  FakePlatformAccessory.warnings = [];
});

describe('platform lifecycle (in-process Homebridge API double)', () => {
  let sim: HomeSmartlinkSimulator;
  let clock: ManualClock;
  let hb: FakeHomebridge | undefined;

  beforeEach(async () => {
    clock = new ManualClock();
    sim = new HomeSmartlinkSimulator({ clientId: 'cid', clientSecret: 'csecret', homes: homes(), now: () => clock.now() });
    await sim.start();
    clock.busy = () => sim.server.inFlight > 0 || (hb?.inFlight() ?? 0) > 0;
  });

  afterEach(async () => {
    hb?.shutdown();
    hb = undefined;
    await sim.stop();
  });

  it('with no account: logs how to configure once, publishes nothing, does not throw', async () => {
    hb = new FakeHomebridge({}, clock);
    await hb.launch();
    await hb.platform.started;
    expect(hb.log.matching(/No account is configured/)).toHaveLength(1);
    expect(hb.accessories()).toHaveLength(0);
    expect(hb.log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('publishes the devices with AccessoryInformation and answers reads from cache', async () => {
    hb = new FakeHomebridge({ homesmartlink: [account(sim.url)] }, clock);
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 3);
    const hall = hb.byName('Hall')!;
    expect(hall.getService(S.AccessoryInformation)!.getCharacteristic(C.Manufacturer).value).toBe('HomeSmartlink');
    sim.server.resetLog();
    expect((await hb.read(hall, S.Thermostat, C.TargetTemperature, 'thermostat')).value).toBe(19);
    expect(sim.server.count()).toBe(0);
  });

  it('an account at a dead port: start-up completes, retries stay bounded over 60 s, the other account works', async () => {
    let connections = 0;
    const dead = net.createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    try {
      hb = new FakeHomebridge({ homesmartlink: [account(deadUrl, 'Down'), account(sim.url, 'Up')] }, clock);
      const t0 = clock.now();
      await hb.launch();
      await until(clock, () => hb!.byName('Hall') !== undefined, 1000, 60);
      await clock.advance(60_000 - (clock.now() - t0));
      expect(connections).toBeGreaterThan(0);
      // one refresh (1 try + 3 retries) and at most one backoff step inside 60 s
      expect(connections).toBeLessThanOrEqual(8);
      expect(hb.byName('Hall')).toBeDefined();
      expect(hb.log.matching(/\[HomeSmartlink\] Down: polling the homes failed/, 'error')).toHaveLength(1);
    } finally {
      await new Promise((r) => dead.close(r));
    }
  });

  it(
    'restart with the vendor down keeps every accessory with its last values as No Response, then recovers without a ' + 'restart',
    async () => {
      hb = new FakeHomebridge({ homesmartlink: [account(sim.url)] }, clock);
      await hb.launch();
      await until(clock, () => hb!.accessories().length === 3);
      const uuids = hb
        .accessories()
        .map((a) => a.UUID)
        .sort();
      hb.shutdown();
      await sim.stop();

      await hb.launch();
      // Before any network answer, Home already sees the last values.
      expect(
        hb
          .accessories()
          .map((a) => a.UUID)
          .sort(),
      ).toEqual(uuids);
      const hall = () => hb!.byName('Hall')!;
      expect((await hb.read(hall(), S.Thermostat, C.TargetTemperature, 'thermostat')).value).toBe(19);
      await clock.advance(30_000);
      expect(
        hb
          .accessories()
          .map((a) => a.UUID)
          .sort(),
      ).toEqual(uuids);
      expect((await hb.read(hall(), S.Thermostat, C.TargetTemperature, 'thermostat')).status).toBe(NO_RESPONSE);
      expect(hall().getServiceById(S.Thermostat, 'thermostat')!.getCharacteristic(C.CurrentTemperature).value).toBeCloseTo(18.5, 0);

      // The vendor comes back on the same port: values flow again.
      const back = new HomeSmartlinkSimulator({
        clientId: 'cid',
        clientSecret: 'csecret',
        homes: [{ ...homes()[0], devices: [{ ...homes()[0].devices[0], baseSp: 22 }, homes()[0].devices[1]] }],
        now: () => clock.now(),
      });
      await back.start(Number(new URL(sim.url).port));
      try {
        clock.busy = () => back.server.inFlight > 0;
        await until(
          clock,
          () => hb!.byName('Hall')!.getServiceById(S.Thermostat, 'thermostat')!.getCharacteristic(C.TargetTemperature).value === 22,
          30_000,
          100,
        );
        expect((await hb.read(hall(), S.Thermostat, C.TargetTemperature, 'thermostat')).value).toBe(22);
        expect(hb.accessories()).toHaveLength(3);
      } finally {
        await back.stop();
      }
    },
  );

  it('bad credentials or an outage never remove anything; a device gone is removed once, 10+ minutes after the first miss', async () => {
    hb = new FakeHomebridge({ homesmartlink: [account(sim.url)] }, clock);
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 3);
    const office = hb.byName('Office')!.UUID;
    sim.server.injectFault(1000, { status: 401 });
    await clock.advance(30 * 60_000);
    expect(hb.log.matching(/401/, 'error').length).toBeGreaterThan(0);
    sim.server.clearFaults();
    sim.server.injectFault(1000, { status: 503 });
    await clock.advance(30 * 60_000);
    expect(hb.accessories()).toHaveLength(3);
    sim.server.clearFaults();
    await clock.advance(16 * 60_000);
    sim.opts.homes[0].devices.pop();
    await until(clock, () => hb!.log.matching(/Office: no longer listed/).length === 1, 1000, 200);
    const firstMiss = clock.now();
    await until(clock, () => hb!.log.matching(/Office: removed/).length === 1, 60_000, 30);
    expect(clock.now() - firstMiss).toBeGreaterThanOrEqual(10 * 60_000);
    expect(clock.now() - firstMiss).toBeLessThanOrEqual(12 * 60_000);
    expect(
      hb
        .accessories()
        .map((a) => a.displayName)
        .sort(),
    ).toEqual(['Hall', 'Site demand response']);
    // an outage after the removal never brings it back
    sim.server.injectFault(10, { status: 503 });
    await clock.advance(20 * 60_000);
    expect(hb.registered.has(office)).toBe(false);
    expect(hb.log.matching(/Office: added/)).toHaveLength(1);
    expect(hb.log.matching(/Office: removed/)).toHaveLength(1);
  });

  it(
    'a device that comes back within the grace is kept (same accessory); one deleted while stopped goes after discovery + ' + 'grace',
    async () => {
      hb = new FakeHomebridge({ homesmartlink: [account(sim.url)] }, clock);
      await hb.launch();
      await until(clock, () => hb!.accessories().length === 3);
      const office = hb.byName('Office')!;
      const removedDevice = sim.opts.homes[0].devices.pop()!;
      await until(clock, () => hb!.log.matching(/Office: no longer listed/).length === 1, 1000, 200);
      await clock.advance(5 * 60_000);
      sim.opts.homes[0].devices.push(removedDevice);
      await clock.advance(20 * 60_000);
      expect(hb.byName('Office')).toBe(office);
      expect(hb.log.matching(/Office: listed again, kept/)).toHaveLength(1);
      expect(hb.log.matching(/Office: (removed|added)/)).toHaveLength(1);

      hb.shutdown();
      sim.opts.homes[0].devices.pop();
      await hb.launch();
      expect(hb.byName('Office')?.UUID).toBe(office.UUID);
      await clock.advance(9 * 60_000);
      expect(hb.byName('Office')).toBeDefined();
      await clock.advance(3 * 60_000);
      expect(hb.byName('Office')).toBeUndefined();
      expect(hb.log.matching(/Office: removed/)).toHaveLength(1);
    },
  );

  it('a HomeKit-side exception for one accessory is logged once; the others keep updating and the account stays available', async () => {
    hb = new FakeHomebridge({ homesmartlink: [account(sim.url)] }, clock);
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 3);
    const broken = hb.byName('Hall')!.getServiceById(S.Thermostat, 'thermostat')!.getCharacteristic(C.TargetTemperature);
    broken.updateValue = () => {
      throw new Error('glue broke');
    };
    sim.opts.homes[0].devices[0].baseSp = 23;
    sim.opts.homes[0].devices[1].baseSp = 24;
    await clock.advance(61_000);
    const office = hb.byName('Office')!;
    expect((await hb.read(office, S.Thermostat, C.TargetTemperature, 'thermostat')).value).toBe(24);
    sim.opts.homes[0].devices[0].baseSp = 17;
    sim.opts.homes[0].devices[1].baseSp = 18;
    await clock.advance(61_000);
    expect((await hb.read(office, S.Thermostat, C.TargetTemperature, 'thermostat')).value).toBe(18);
    expect(hb.log.matching(/Hall: could not be updated in HomeKit: glue broke/, 'error')).toHaveLength(1);
    expect(hb.log.matching(/polling the homes failed/)).toHaveLength(0);
  });

  it('a write is answered once queued, before its derogation is sent; a refused one shows the real value and a fault', async () => {
    hb = new FakeHomebridge({ homesmartlink: [account(sim.url)] }, clock);
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 3);
    const office = hb.byName('Office')!;
    const sent = sim.derogations.length;
    expect(await hb.write(office, S.Thermostat, C.TargetTemperature, 22, 'thermostat')).toEqual({});
    expect(sim.derogations).toHaveLength(sent);
    expect((await hb.read(office, S.Thermostat, C.TargetTemperature, 'thermostat')).value).toBe(22);
    await clock.advance(2_000);
    expect(sim.derogations.at(-1)).toMatchObject({ homeId: 'h1', roomId: 2, delta: 2 });

    sim.server.injectFault(1, { status: 400, pathPrefix: '/partners/1/derogations' });
    expect(await hb.write(office, S.Thermostat, C.TargetTemperature, 18, 'thermostat')).toEqual({});
    await clock.advance(2_000);
    const thermostat = office.getServiceById(S.Thermostat, 'thermostat')!;
    expect((await hb.read(office, S.Thermostat, C.TargetTemperature, 'thermostat')).value).toBe(22);
    expect(thermostat.getCharacteristic(C.TargetTemperature).value).toBe(22);
    expect(thermostat.getCharacteristic(C.StatusFault).value).toBe(C.StatusFault.GENERAL_FAULT);
    expect(hb.log.matching(/Office: setTargetTemperature\(18\) failed: .*showing its real state again/, 'warn')).toHaveLength(1);
  });

  it('pollIntervalSeconds below the floor: the account runs at the floor (30 s) with one warning', async () => {
    hb = new FakeHomebridge({ homesmartlink: [{ ...account(sim.url), pollIntervalSeconds: 10 }] }, clock);
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 3);
    sim.server.resetLog();
    await clock.advance(5 * 60_000);
    expect(sim.server.count('POST', '/partners/1/config')).toBe(10);
    expect(hb.log.matching(/homesmartlink\[0\] pollIntervalSeconds: 10 is outside the allowed range, 30 is used/, 'warn')).toHaveLength(1);
    expect(hb.log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('saves changed states to the accessory cache every 5 minutes, so they survive a crash', async () => {
    hb = new FakeHomebridge({ homesmartlink: [account(sim.url)] }, clock);
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 3);
    sim.opts.homes[0].devices[0].baseSp = 21;
    await clock.advance(61_000);
    expect(hb.byName('Hall')!.context).toMatchObject({ device: { capabilities: [{ targetTemperature: 21 }] } });
    hb.updates.length = 0;
    await clock.advance(5 * 60_000);
    expect(hb.updates.flat()).toContain('Hall');
    expect(hb.updates.flat()).not.toContain('Site demand response');
  });
});

describe("many devices: include / exclude for every vendor, and the warning near HAP's limit", () => {
  let clock: ManualClock;
  let hb: FakeHomebridge | undefined;
  const sims: HomeSmartlinkSimulator[] = [];
  const start = async (rooms: number) => {
    const devices = Array.from({ length: rooms }, (_, i) => ({
      header: `D${i}`,
      roomId: i,
      roomName: `Room ${i}`,
      category: 'Heater' as const,
      online: true,
      mode: 'Prog' as const,
      baseSp: 19,
      pv: 18,
    }));
    const sim = new HomeSmartlinkSimulator({
      clientId: 'cid',
      clientSecret: 'csecret',
      homes: [{ homeId: 'h1', devices }],
      now: () => clock.now(),
    });
    await sim.start();
    sims.push(sim);
    return sim;
  };

  beforeEach(() => {
    clock = new ManualClock();
    clock.busy = () => sims.some((s) => s.server.inFlight > 0) || (hb?.inFlight() ?? 0) > 0;
  });

  afterEach(async () => {
    hb?.shutdown();
    hb = undefined;
    await Promise.all(sims.splice(0).map((s) => s.stop()));
  });

  it('exclude by name and by kind; a device excluded later is removed at the next start', async () => {
    const sim = await start(3);
    hb = new FakeHomebridge({ homesmartlink: [{ ...account(sim.url), exclude: ['Room 1', 'switch'] }] }, clock);
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 2);
    await clock.advance(5000);
    expect(
      hb
        .accessories()
        .map((a) => a.displayName)
        .sort(),
    ).toEqual(['Room 0', 'Room 2']);
    // a restart with "Room 2" excluded too: its accessory goes, with one line
    hb.shutdown();
    hb.reconfigure({ homesmartlink: [{ ...account(sim.url), exclude: ['Room 1', 'Room 2', 'switch'] }] });
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 1);
    expect(hb.log.matching(/Room 2: removed \(left out by the account's include \/ exclude settings\)/)).toHaveLength(1);
    expect(hb.accessories().map((a) => a.displayName)).toEqual(['Room 0']);
  });

  it('include by kind shows only those; at 130 accessories one warning names the accounts and their counts', async () => {
    const a = await start(100);
    const b = await start(40);
    hb = new FakeHomebridge(
      {
        homesmartlink: [
          { ...account(a.url, 'North'), include: ['thermostat'] },
          { ...account(b.url, 'South'), include: ['thermostat'] },
        ],
      },
      clock,
    );
    await hb.launch();
    await until(clock, () => hb!.accessories().length === 140, 1000, 600);
    expect(hb.accessories().every((x) => x.displayName.startsWith('Room'))).toBe(true);
    const [line] = hb.log.matching(/This bridge has 130 accessories/, 'warn');
    expect(line).toMatch(
      /homesmartlink:North \(\d+\).*homesmartlink:South \(\d+\)|homesmartlink:South \(\d+\).*homesmartlink:North \(\d+\)/,
    );
    expect(hb.log.matching(/This bridge has 130 accessories/, 'warn')).toHaveLength(1);
  });
});
