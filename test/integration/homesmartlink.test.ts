import type { Device, ThermostatCapability } from '../../src/core/model';
import { HomeSmartlinkIntegration } from '../../src/integrations/homesmartlink/integration';
import { homesmartlinkAccountSchema } from '../../src/integrations/homesmartlink/account';
import { HomeSmartlinkSimulator, type SimHslHome } from '../../src/simulators/homesmartlink';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';

const SECRET = 'partner-secret-$&#';
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

async function setup(options: { secret?: string; homes?: SimHslHome[]; homeIds?: string[]; emails?: string[] } = {}) {
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00+01:00'));
  const sim = new HomeSmartlinkSimulator({
    clientId: 'acme',
    clientSecret: SECRET,
    homes: options.homes ?? homes(),
    timezone: TZ,
    now: () => clock.now(),
    invitations: { 'owner@example.org': ['home-b'] },
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
  });
  const integration = new HomeSmartlinkIntegration(account, { log, clock, storagePath: '/nonexistent' });
  clock.busy = () => sim.server.inFlight > 0 || integration.http.inFlight > 0;
  const abort = new AbortController();
  const changes: string[] = [];
  integration.onChange((id) => changes.push(id));
  const discoveries: string[][] = [];
  integration.onDiscovery((ids) => discoveries.push(ids));
  const started = integration.start(abort.signal);
  // The first poll staggers the second home; let the clock run through it.
  await clock.advance(10_000);
  await started;
  return {
    clock,
    sim,
    log,
    integration,
    abort,
    changes,
    discoveries,
    async stop() {
      abort.abort();
      await sim.stop();
    },
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
    const t = await setup();
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
