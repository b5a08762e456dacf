import type { Device, ThermostatCapability } from '../../src/core/model';
import { HomeSmartlinkIntegration } from '../../src/integrations/homesmartlink/integration';
import { homesmartlinkAccountSchema } from '../../src/integrations/homesmartlink/account';
import { HomeSmartlinkSimulator, type SimHslHome } from '../../src/simulators/homesmartlink';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';
import { IntegrationRunner } from '../helpers/integrationRunner';
import { tempDir } from '../helpers/tempDir';

const SECRET = 'partner-secret-$&#';
/** Hours of fake time: fewer polls, same behaviour. */
const SLOW_POLL = { pollIntervalSeconds: 900 };
const TZ = 'Europe/Paris';

function homes(): SimHslHome[] {
  const heater = (header: string, roomId: number, roomName: string) => ({
    header,
    roomId,
    roomName,
    category: 'Heater' as const,
    online: true,
    mode: 'Prog' as const,
    baseSp: 19,
    pv: 18.5,
  });
  return [
    {
      homeId: 'home-a',
      devices: [
        heater('A1', 1, 'Hall'),
        heater('A2', 2, 'Office'),
        heater('A3', 3, 'Kitchen'),
        { ...heater('A4', 4, 'Bath'), category: 'TowelDryier' as const },
      ],
    },
    { homeId: 'home-b', devices: [heater('B1', 1, 'Library'), heater('B2', 2, 'Class'), { ...heater('B3', 3, 'Lab'), online: false }] },
  ];
}

interface SetupOptions {
  secret?: string;
  homes?: SimHslHome[];
  homeIds?: string[];
  emails?: string[];
  storagePath?: string;
  reportEveryMs?: number;
  startAt?: string;
  account?: Record<string, unknown>;
}

async function setup(options: SetupOptions = {}) {
  const clock = new ManualClock(Date.parse(options.startAt ?? '2026-11-23T09:00:00+01:00'));
  const sim = new HomeSmartlinkSimulator({
    clientId: 'acme',
    clientSecret: SECRET,
    homes: options.homes ?? homes(),
    timezone: TZ,
    now: () => clock.now(),
    invitations: { 'owner@example.org': ['home-b'] },
    reportEveryMs: options.reportEveryMs,
  });
  await sim.start();
  const log = new CapturedLog();
  const account = homesmartlinkAccountSchema.parse({
    label: 'Test',
    baseUrl: sim.url,
    clientId: 'acme',
    clientSecret: options.secret ?? SECRET,
    homeIds: options.homeIds ?? ['home-a', 'home-b'],
    emails: options.emails ?? [],
    timezone: TZ,
    pollIntervalSeconds: 120,
    ...options.account,
  });
  const storagePath = options.storagePath ?? tempDir('hsl');
  // The first poll staggers the second home: 10 s of fake time run while each start goes through it.
  const runner = new IntegrationRunner(() => new HomeSmartlinkIntegration(account, { log, clock, storagePath }), clock, sim, 10_000);
  const changes: string[] = [];
  const discoveries: string[][] = [];
  await runner.start((integration) => {
    integration.onChange((id) => changes.push(id));
    integration.onDiscovery((ids) => discoveries.push(ids));
  });
  return {
    clock,
    sim,
    log,
    get integration() {
      return runner.integration;
    },
    changes,
    discoveries,
    stop: () => runner.stop(),
    /** Homebridge restarts: a new integration on the same storage dir, against the same service. */
    restart: async () => void (await runner.start()),
  };
}

const thermostat = (d: Device | undefined) => d?.capabilities.find((c): c is ThermostatCapability => c.kind === 'thermostat');

describe('HomeSmartlink integration against the simulator', () => {
  it('discovers the thermostats of every home and the demand-response switches', async () => {
    const t = await setup();
    try {
      const names = t.integration
        .devices()
        .map((d) => d.name)
        .sort();
      expect(names).toEqual(['Bath', 'Class', 'Hall', 'Kitchen', 'Lab', 'Library', 'Office', 'Test demand response']);
      expect(t.discoveries).toHaveLength(1);
      expect(t.integration.devices().find((d) => d.name === 'Lab')!.available).toBe(false);
      expect(thermostat(t.integration.devices().find((d) => d.name === 'Hall'))).toMatchObject({ targetTemperature: 19, mode: 'heat' });
    } finally {
      await t.stop();
    }
  });

  it('sends exactly one /config per home per poll cycle and nothing else', async () => {
    const t = await setup();
    try {
      t.sim.server.resetLog();
      await t.clock.advance(10 * 120_000);
      expect(t.sim.server.count('POST', '/partners/1/config')).toBe(20);
      expect(t.sim.server.count()).toBe(20);
    } finally {
      await t.stop();
    }
  });

  it('sends 5 rooms set within 1 s as exactly 1 /derogations request, and the setpoints read back', async () => {
    const t = await setup();
    try {
      const ids = ['home-a:A1', 'home-a:A2', 'home-a:A3', 'home-b:B1', 'home-b:B2'];
      const writes = ids.map((id, i) =>
        t.integration.execute(id, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 20 + i }),
      );
      await t.clock.advance(1_000);
      await Promise.all(writes);
      expect(t.sim.server.count('POST', '/partners/1/derogations')).toBe(1);
      const sent = JSON.parse(t.sim.server.requests.find((r) => r.path === '/partners/1/derogations')!.body).derogations;
      expect(sent).toHaveLength(5);
      expect(sent.map((d: { delta: number }) => d.delta)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(sent.map((d: { startTime: number; endTime: number }) => `${d.startTime}-${d.endTime}`))).toEqual(new Set(['540-660']));
      // The targets show at once, then the next poll confirms them from the vendor.
      expect(thermostat(t.integration.devices().find((d) => d.id === 'home-a:A2'))!.targetTemperature).toBe(21);
      await t.clock.advance(120_000);
      expect(thermostat(t.integration.devices().find((d) => d.id === 'home-b:B2'))!.targetTemperature).toBe(24);
      // Setting the same room again starts from the schedule, not from the derogated setpoint.
      const again = t.integration.execute('home-a:A1', { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 19 });
      await t.clock.advance(1_000);
      await again;
      expect(t.sim.derogations.at(-1)).toMatchObject({ homeId: 'home-a', roomId: 1, delta: 0 });
    } finally {
      await t.stop();
    }
  });

  it('clamps a target beyond ±5 °C and logs it', async () => {
    const t = await setup();
    try {
      const w = t.integration.execute('home-a:A1', { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 30 });
      await t.clock.advance(1_000);
      await w;
      expect(t.sim.derogations.at(-1)!.delta).toBe(5);
      expect(t.log.matching(/Hall: 30 °C is 11 °C from the schedule; HomeSmartlink allows ±5 °C/)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('follows the delivery report until every gateway received it, then stops', async () => {
    const t = await setup();
    try {
      const w = t.integration.execute('home-a:A1', { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 21 });
      await t.clock.advance(1_000);
      await w;
      await t.clock.advance(15 * 60_000);
      expect(t.sim.server.count('POST', '/partners/1/report')).toBe(1);
      expect(t.log.matching(/derogation delivery: requested 1, sent 1, received 1/)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('flags the rooms whose gateway did not acknowledge, gives up after 10 minutes, and clears on a later delivery', async () => {
    const list = homes();
    list[1].gatewayDeaf = true;
    const t = await setup({ homes: list });
    try {
      const w = t.integration.execute('home-b:B1', { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 21 });
      await t.clock.advance(1_000);
      await w;
      await t.clock.advance(20 * 60_000);
      // first check at 10 s, then every 30 s until 10 minutes have passed
      expect(t.sim.server.count('POST', '/partners/1/report')).toBe(20);
      expect(t.log.matching(/received 0 \(gave up waiting after 10 min\)/)).toHaveLength(1);
      expect(t.log.matching(/did not confirm the derogation for: .*Library/)).toHaveLength(1);
      expect(thermostat(t.integration.devices().find((d) => d.id === 'home-b:B1'))!.fault).toBe(true);
      expect(thermostat(t.integration.devices().find((d) => d.id === 'home-a:A1'))!.fault).toBe(false);
      list[1].gatewayDeaf = false;
      const w2 = t.integration.execute('home-b:B1', { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 20 });
      await t.clock.advance(1_000);
      await w2;
      await t.clock.advance(60_000);
      expect(thermostat(t.integration.devices().find((d) => d.id === 'home-b:B1'))!.fault).toBe(false);
    } finally {
      await t.stop();
    }
  });

  it('"Eco all" reaches every room of every home in one call and turns itself off when the window ends', async () => {
    const t = await setup({ account: SLOW_POLL });
    try {
      t.sim.server.resetLog();
      await t.integration.execute('demand-response', { capabilityId: 'eco', type: 'setOn', on: true });
      expect(t.sim.server.count('POST', '/partners/1/derogations')).toBe(1);
      const rooms = JSON.parse(t.sim.server.requests.find((r) => r.path === '/partners/1/derogations')!.body).derogations;
      expect(rooms.map((d: { homeId: string; roomId: number; delta: number }) => `${d.homeId}/${d.roomId}/${d.delta}`).sort()).toEqual(
        ['home-a/1/-2', 'home-a/2/-2', 'home-a/3/-2', 'home-a/4/-2', 'home-b/1/-2', 'home-b/2/-2', 'home-b/3/-2'].sort(),
      );
      const dr = () => t.integration.devices().find((d) => d.id === 'demand-response')!;
      expect(dr().capabilities.find((c) => c.id === 'eco')).toMatchObject({ on: true });
      await t.clock.advance(121 * 60_000);
      expect(dr().capabilities.find((c) => c.id === 'eco')).toMatchObject({ on: false });
    } finally {
      await t.stop();
    }
  });

  it('finds homes through invitation e-mails', async () => {
    const t = await setup({ homeIds: [], emails: ['owner@example.org'] });
    try {
      expect(t.integration.devices().filter((d) => d.id.startsWith('home-b:'))).toHaveLength(3);
      expect(t.integration.devices().filter((d) => d.id.startsWith('home-a:'))).toHaveLength(0);
    } finally {
      await t.stop();
    }
  });

  it('/invitations failing: the homes listed by id stay available and keep updating; no discovery while the list is short', async () => {
    const t = await setup({ homeIds: ['home-a'], emails: ['owner@example.org'] });
    try {
      const answering = () => t.integration.devices().filter((d) => d.id.startsWith('home-b:') && d.available).length;
      const homeB = answering();
      expect(homeB).toBeGreaterThan(0);
      t.sim.server.injectFault(1000, { status: 503, pathPrefix: '/partners/1/invitations' });
      t.integration['homesReadAt'] = -Infinity; // the next poll reads the sources again (as every 6 h)
      const discoveries = t.discoveries.length;
      await t.clock.advance(10 * 60_000);
      const homeA = t.integration.devices().filter((d) => d.id.startsWith('home-a:'));
      expect(homeA.length).toBeGreaterThan(0);
      expect(homeA.every((d) => d.available)).toBe(true);
      // the homes the source gave before are still polled
      expect(answering()).toBe(homeB);
      expect(t.discoveries.length).toBe(discoveries);
      expect(t.log.matching(/the invitations of owner@example.org could not be read: .*503/, 'warn')).toHaveLength(1);
      expect(t.log.matching(/polling the homes failed/)).toHaveLength(0);
      t.sim.server.clearFaults();
      await t.clock.advance(5 * 60_000);
      expect(t.discoveries.length).toBeGreaterThan(discoveries);
      expect(t.log.matching(/the invitations of owner@example.org can be read again/, 'info')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  const setTarget = async (t: Awaited<ReturnType<typeof setup>>, id: string, temperature: number) => {
    const w = t.integration.execute(id, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature });
    await t.clock.advance(1_000);
    await w;
  };
  const target = (t: Awaited<ReturnType<typeof setup>>, id: string) => thermostat(t.integration.device(id))!.targetTemperature;

  it('a lagging sp: 21 on a schedule of 19 asked twice, the report still at 19 in between -> +2 both times', async () => {
    // Heaters report every 30 min: the poll after the derogation still shows the old sp and lastUpdate.
    const t = await setup({ reportEveryMs: 30 * 60_000 });
    try {
      await setTarget(t, 'home-a:A1', 21);
      await t.clock.advance(120_000);
      expect(t.sim.effectiveSetpoint('home-a', t.sim.home('home-a')!.devices[0])).toBe(21);
      // Home keeps showing the asked target while the report predates the derogation (no spring back to 19).
      expect(target(t, 'home-a:A1')).toBe(21);
      await setTarget(t, 'home-a:A1', 21);
      expect(t.sim.derogations.filter((d) => d.roomId === 1 && d.homeId === 'home-a').map((d) => d.delta)).toEqual([2, 2]);
      // Once the heater reported with our derogation in force, the next ask is computed from the schedule again.
      await t.clock.advance(31 * 60_000);
      expect(target(t, 'home-a:A1')).toBe(21);
      await setTarget(t, 'home-a:A1', 22);
      expect(t.sim.derogations.at(-1)).toMatchObject({ roomId: 1, delta: 3 });
    } finally {
      await t.stop();
    }
  });

  it('the first report newer than our derogation that shows another setpoint is logged once, and then shown', async () => {
    const t = await setup();
    try {
      await setTarget(t, 'home-a:A1', 21);
      t.sim.home('home-a')!.devices[0].baseSp = 17; // the schedule moved to its night setpoint meanwhile
      await t.clock.advance(120_000);
      expect(target(t, 'home-a:A1')).toBe(19);
      await t.clock.advance(5 * 120_000);
      expect(t.log.matching(/Hall: the heater reports a 19 °C setpoint after our derogation to 21 °C/, 'info')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('a restart inside a Boost window: Boost shows on, and a new target is computed from the schedule', async () => {
    const t = await setup({ account: SLOW_POLL });
    try {
      await t.integration.execute('demand-response', { capabilityId: 'boost', type: 'setOn', on: true });
      await t.clock.advance(5 * 60_000);
      expect(target(t, 'home-a:A1')).toBe(21);
      await t.restart();
      const boost = () => t.integration.device('demand-response')!.capabilities.find((c) => c.id === 'boost');
      expect(boost()).toMatchObject({ on: true });
      expect(target(t, 'home-a:A1')).toBe(21);
      await setTarget(t, 'home-a:A1', 22);
      expect(t.sim.derogations.at(-1)).toMatchObject({ homeId: 'home-a', roomId: 1, delta: 3 });
      // and Boost turns itself off at the end of its window, restart or not
      await t.clock.advance(2 * 60 * 60_000);
      expect(boost()).toMatchObject({ on: false });
    } finally {
      await t.stop();
    }
  });

  it('Boost off sends 0 °C for the rest of the window only', async () => {
    const t = await setup();
    try {
      await t.integration.execute('demand-response', { capabilityId: 'boost', type: 'setOn', on: true });
      await t.clock.advance(32 * 60_000);
      await t.integration.execute('demand-response', { capabilityId: 'boost', type: 'setOn', on: false });
      const last = t.sim.derogations.at(-1)!;
      // on at 09:00 for 120 min (540-660); off at 09:32 -> 0 °C from 09:30 to 11:00
      expect(last).toMatchObject({ delta: 0, startTime: 570, endTime: 660, date: '2026-11-23' });
      expect(t.integration.device('demand-response')!.capabilities.find((c) => c.id === 'boost')).toMatchObject({ on: false });
    } finally {
      await t.stop();
    }
  });

  it('connectivity: an old gateway connect event is no fault; a report 3 h old is; a heater never read is no 0 °C', async () => {
    const list = homes();
    list[0].lastPing = '2026-11-20T08:00:00.000Z';
    list[0].devices[1].pv = null;
    const t = await setup({ homes: list, reportEveryMs: 4 * 60 * 60_000, account: SLOW_POLL });
    try {
      expect(thermostat(t.integration.device('home-a:A1'))!.fault).toBe(false);
      expect(thermostat(t.integration.device('home-a:A2'))).toMatchObject({ currentTemperature: undefined, fault: true });
      await t.clock.advance(3 * 60 * 60_000);
      expect(thermostat(t.integration.device('home-a:A1'))!.fault).toBe(true);
      expect(t.integration.device('home-a:A1')!.available).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('a gateway the invitations show as not connected faults its heaters', async () => {
    const list = homes();
    list[1].gatewayConnected = false;
    const t = await setup({ homes: list, homeIds: ['home-a'], emails: ['owner@example.org'] });
    try {
      expect(thermostat(t.integration.device('home-b:B1'))!.fault).toBe(true);
      expect(thermostat(t.integration.device('home-a:A1'))!.fault).toBe(false);
    } finally {
      await t.stop();
    }
  });

  it('follows the end trigger from the end of the window, and a midnight part from midnight', async () => {
    const t = await setup({ startAt: '2026-11-23T23:00:00+01:00', account: SLOW_POLL });
    try {
      t.sim.server.resetLog();
      await setTarget(t, 'home-a:A1', 21);
      const calls = t.sim.server.requests.filter((r) => r.path === '/partners/1/derogations');
      expect(calls).toHaveLength(2);
      await t.clock.advance(15 * 60_000);
      const reports = () => t.sim.server.requests.filter((r) => r.path === '/partners/1/report').map((r) => JSON.parse(r.body).trigger);
      // 23:00-24:00 started: its start is followed; nothing about midnight or the ends yet
      expect(reports()).toEqual(['trg-1']);
      await t.clock.advance(2 * 60 * 60_000);
      expect(new Set(reports())).toEqual(new Set(['trg-1', 'trg-1-end', 'trg-2', 'trg-2-end']));
      expect(t.log.matching(/not confirm/)).toHaveLength(0);
      expect(t.log.matching(/end of the derogation delivery: requested 1, sent 1, received 1/)).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });

  it('a scheduled "Eco all" 17:00-19:00: one call for all rooms at 17:00, not again after a restart, off at 19:00', async () => {
    const t = await setup({
      startAt: '2026-11-27T16:50:00+01:00', // a Friday
      account: { ...SLOW_POLL, demandSchedule: [{ mode: 'eco', start: '17:00', end: '19:00' }] },
    });
    try {
      const eco = () => t.integration.device('demand-response')!.capabilities.find((c) => c.id === 'eco');
      expect(t.sim.derogations).toHaveLength(0);
      await t.clock.advance(11 * 60_000);
      const calls = t.sim.server.requests.filter((r) => r.path === '/partners/1/derogations');
      expect(calls).toHaveLength(1);
      const sent = JSON.parse(calls[0].body).derogations as Array<{ startTime: number; endTime: number; delta: number }>;
      expect(sent).toHaveLength(7);
      expect(sent.every((d) => d.startTime === 1020 && d.endTime === 1140 && d.delta === -2)).toBe(true);
      expect(eco()).toMatchObject({ on: true });
      await t.clock.advance(30 * 60_000);
      await t.restart();
      expect(eco()).toMatchObject({ on: true });
      await t.clock.advance(90 * 60_000);
      expect(eco()).toMatchObject({ on: false });
      expect(t.sim.server.requests.filter((r) => r.path === '/partners/1/derogations')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('on a wrong secret: one clear log line, at most one request per backoff step, no secret in the logs', async () => {
    const t = await setup({ secret: 'wrong-secret', homeIds: ['home-a'] });
    try {
      await t.clock.advance(60 * 60_000);
      const times = t.sim.server.requests.map((r) => r.at);
      expect(times.length).toBeGreaterThan(1);
      // 120 s interval, equal jitter: 90 s, 180 s, 360 s, 720 s, 675..900 s -> about 8 attempts in an hour.
      expect(t.sim.server.count()).toBeLessThanOrEqual(9);
      expect(t.sim.server.requests.every((r) => r.status === 401)).toBe(true);
      expect(t.log.matching(/polling the homes failed: .*401.*Check the credentials/, 'error')).toHaveLength(1);
      expect(t.log.text()).not.toContain('wrong-secret');
      expect(t.log.text()).not.toContain(Buffer.from('acme:wrong-secret').toString('base64'));
      expect(t.integration.devices().every((d) => d.id === 'demand-response' || !d.available)).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
