import { HttpClient } from '../../src/core/http';
import { Redactor } from '../../src/core/redact';
import { FestimeClient } from '../../src/integrations/festime/client';
import { FestimeIntegration } from '../../src/integrations/festime/integration';
import { festimeAccountSchema } from '../../src/integrations/festime/account';
import { demoFestime, FestimeSimulator } from '../../src/simulators/festime';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';
import { IntegrationRunner } from '../helpers/integrationRunner';
import { tempDir } from '../helpers/tempDir';

const PASSWORD = 'Pa$$&#word=é';
const START = Date.parse('2026-11-23T09:00:00+01:00');

async function setup(
  opts: {
    password?: string;
    people?: Array<{ uid: string; name?: string }>;
    breakCountsAsPresent?: boolean;
    pollIntervalSeconds?: number;
    start?: number;
    storagePath?: string;
  } = {},
) {
  const clock = new ManualClock(opts.start ?? START);
  const options = demoFestime('school', PASSWORD);
  const sim = new FestimeSimulator({ ...options, now: () => clock.now() });
  await sim.start();
  const log = new CapturedLog();
  const account = festimeAccountSchema.parse({
    label: 'Office',
    baseUrl: sim.url,
    login: 'school',
    password: opts.password ?? PASSWORD,
    people: opts.people ?? [{ uid: '70' }, { uid: '72', name: 'Hélène' }],
    breakCountsAsPresent: opts.breakCountsAsPresent ?? false,
    pollIntervalSeconds: opts.pollIntervalSeconds ?? 60,
  });
  const storagePath = opts.storagePath ?? tempDir('festime');
  const runner = new IntegrationRunner(() => new FestimeIntegration(account, { log, clock, storagePath }), clock, sim);
  const changes: string[] = [];
  await runner.start((integration) => integration.onChange((id) => changes.push(id)));
  await clock.advance(100);
  const occupied = (id: string) =>
    runner.integration.devices().find((d) => d.id === id)?.capabilities[0] as { value?: boolean; fault?: boolean } | undefined;
  return {
    clock,
    sim,
    log,
    get integration() {
      return runner.integration;
    },
    changes,
    occupied,
    options,
    stop: () => runner.stop(),
    /** Homebridge restarts: a new integration on the same storage dir, against the same service. */
    async restart() {
      await runner.start();
      await clock.advance(100);
    },
  };
}

describe('Festime against the simulator', () => {
  it('exposes "Anyone present", one sensor per access point, listed people only, and the sync switch', async () => {
    const t = await setup();
    try {
      expect(
        t.integration
          .devices()
          .map((d) => d.name)
          .sort(),
      ).toEqual([
        'Anyone present',
        'Hélène',
        'Person 70',
        'Present at Accès parking',
        'Present at Accès porte Sud',
        'Sync badges to terminals',
      ]);
    } finally {
      await t.stop();
    }
  });

  it('badging in and out flows to the sensors; one request per poll cycle; an event is applied once', async () => {
    const t = await setup();
    try {
      t.sim.server.resetLog();
      t.sim.badge('70', 'A', 'Accès porte Sud');
      await t.clock.advance(60_000);
      expect(t.occupied('presence:all')?.value).toBe(true);
      expect(t.occupied('person:70')?.value).toBe(true);
      expect(t.occupied('presence:ap:Accès porte Sud')?.value).toBe(true);
      expect(t.occupied('presence:ap:Accès parking')?.value).toBe(false);
      expect(t.integration.devices().find((d) => d.id === 'person:70')?.name).toBe('ADONIS Alain');
      // Unlisted people count for "anyone" but never get a sensor.
      t.sim.badge('74', 'A', 'Accès parking');
      await t.clock.advance(60_000);
      expect(t.occupied('presence:ap:Accès parking')?.value).toBe(true);
      expect(t.integration.devices().some((d) => d.id === 'person:74')).toBe(false);
      const changesBefore = t.changes.length;
      await t.clock.advance(5 * 60_000); // the same events come back in every reply
      expect(t.changes.length).toBe(changesBefore);
      t.sim.badge('70', 'D', 'Accès porte Sud');
      t.sim.badge('74', 'P', 'Accès parking');
      await t.clock.advance(60_000);
      expect(t.occupied('presence:all')?.value).toBe(false);
      expect(t.sim.server.count('GET', '/webapi.aspx')).toBe(8);
      expect(t.sim.server.requests.every((r) => r.query.includes('fonction=pointage') && r.query.includes('date=%2123%2F11%2F2026'))).toBe(
        true,
      );
    } finally {
      await t.stop();
    }
  });

  it('a break counts as present when configured', async () => {
    const t = await setup({ breakCountsAsPresent: true });
    try {
      t.sim.badge('72', 'A');
      t.sim.badge('72', 'P');
      await t.clock.advance(60_000);
      expect(t.occupied('person:72')?.value).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('resets people who forgot to badge out at the reset hour', async () => {
    const t = await setup({ pollIntervalSeconds: 3600 });
    try {
      t.sim.badge('70', 'A', 'Accès porte Sud', START);
      await t.clock.advance(3_600_000);
      expect(t.occupied('person:70')?.value).toBe(true);
      await t.clock.advance(18 * 3_600_000 + 60_000); // 04:01 the next day
      expect(t.occupied('person:70')?.value).toBe(false);
    } finally {
      await t.stop();
    }
  });

  it("a listed person's name stays the Festime name over 3 days, badged or not, across a restart", async () => {
    const t = await setup({ pollIntervalSeconds: 3600 });
    try {
      const name = () => t.integration.device('person:70')?.name;
      expect(name()).toBe('Person 70');
      t.sim.badge('70', 'A');
      await t.clock.advance(3_600_000);
      expect(name()).toBe('ADONIS Alain');
      const names: Array<string | undefined> = [];
      for (let h = 0; h < 72; h += 6) {
        await t.clock.advance(6 * 3_600_000);
        names.push(name());
        if (h === 36) await t.restart();
      }
      expect(new Set(names)).toEqual(new Set(['ADONIS Alain']));
      // a configured name wins
      expect(t.integration.device('person:72')?.name).toBe('Hélène');
    } finally {
      await t.stop();
    }
  });

  it('a departure badged at 23:50 and uploaded at 00:10 is read: the person is absent', async () => {
    const t = await setup({ start: Date.parse('2026-11-23T23:00:00+01:00') });
    try {
      t.sim.badge('70', 'A', 'Accès porte Sud', Date.parse('2026-11-23T22:00:00+01:00'));
      await t.clock.advance(60_000);
      expect(t.occupied('person:70')?.value).toBe(true);
      const d = Date.parse('2026-11-23T23:50:00+01:00');
      t.sim.badge('70', 'D', 'Accès porte Sud', d, '', Date.parse('2026-11-24T00:10:00+01:00'));
      await t.clock.advance(60 * 60_000); // 00:01 the next day
      expect(t.occupied('person:70')?.value).toBe(true);
      await t.clock.advance(10 * 60_000); // 00:11: uploaded
      expect(t.occupied('person:70')?.value).toBe(false);
      // between midnight and the reset hour each poll reads from yesterday on, in one call
      const last = t.sim.server.requests.at(-1)!;
      expect(last.query).toContain('date=23%2F11%2F2026');
    } finally {
      await t.stop();
    }
  });

  it('terminal health beyond ONLINE: an old last scan or no user loaded is a fault, with one line each', async () => {
    const t = await setup();
    try {
      t.sim.opts.accessPoints[0].lastScanAgoMs = 3 * 3_600_000;
      await t.clock.advance(15 * 60_000);
      expect(t.occupied('presence:ap:Accès porte Sud')?.fault).toBe(true);
      expect(t.occupied('presence:ap:Accès parking')?.fault).toBe(false);
      expect(t.log.matching(/terminal 8798 at Accès porte Sud has not connected since .* \(more than 60 min\)/, 'warn')).toHaveLength(1);
      t.sim.opts.accessPoints[0].lastScanAgoMs = 60_000;
      t.sim.opts.accessPoints[1].users = 0;
      await t.clock.advance(15 * 60_000);
      expect(t.occupied('presence:ap:Accès porte Sud')?.fault).toBe(false);
      expect(t.occupied('presence:ap:Accès parking')?.fault).toBe(true);
      expect(t.log.matching(/terminal 8801 at Accès parking holds no user/, 'warn')).toHaveLength(1);
      expect(t.log.matching(/terminal at Accès porte Sud is healthy again/, 'info')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('flags the sensors when a terminal is not ONLINE (read every 15 minutes)', async () => {
    const t = await setup();
    try {
      expect(t.occupied('presence:all')?.fault).toBe(false);
      t.options.accessPoints[1].online = false;
      t.sim.opts.accessPoints[1].online = false;
      await t.clock.advance(15 * 60_000);
      expect(t.occupied('presence:all')?.fault).toBe(true);
      expect(t.occupied('presence:ap:Accès parking')?.fault).toBe(true);
      expect(t.occupied('presence:ap:Accès porte Sud')?.fault).toBe(false);
      expect(t.log.matching(/terminal 8801 at Accès parking is OFFLINE/, 'warn')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('the sync switch calls the transfer once and logs each terminal', async () => {
    const t = await setup();
    try {
      t.sim.opts.accessPoints[1].online = false;
      await t.integration.execute('sync', { capabilityId: 'sync', type: 'setOn', on: true });
      expect(t.sim.transfers).toEqual(['utilisateurs']);
      expect(t.log.matching(/badge sync to Accès porte Sud: L'ordre de Maj/)).toHaveLength(1);
      expect(t.log.matching(/badge sync to Accès parking FAILED/, 'warn')).toHaveLength(1);
      expect(t.integration.devices().find((d) => d.id === 'sync')?.capabilities[0]).toMatchObject({ on: false });
    } finally {
      await t.stop();
    }
  });

  it('a wrong login: one clear log line, no retry storm, and the password never appears anywhere', async () => {
    const t = await setup({ password: 'Wr0ng$&#pass' });
    try {
      await t.clock.advance(60 * 60_000);
      // the badge poll backs off (about 9 tries in an hour); the terminal status waits for a working login
      expect(t.sim.server.count()).toBeLessThanOrEqual(10);
      expect(t.log.matching(/reading the badge events failed: Festime refused the login.*Check the credentials/, 'error')).toHaveLength(1);
      const all = t.log.text();
      for (const form of ['Wr0ng$&#pass', encodeURIComponent('Wr0ng$&#pass'), PASSWORD]) expect(all).not.toContain(form);
      expect(t.integration.devices().every((d) => !d.available)).toBe(true);
    } finally {
      await t.stop();
    }
  });
});

describe('Festime client', () => {
  it('URL-encodes every parameter (the password included) and reads the sync replies', async () => {
    const sim = new FestimeSimulator(demoFestime('school', PASSWORD));
    await sim.start();
    const http = new HttpClient({ baseUrl: sim.url, redactor: new Redactor([PASSWORD]) });
    const client = new FestimeClient(http, 'school', PASSWORD, 'Europe/Paris');
    try {
      expect((await client.transferUsers()).every((r) => r.ok)).toBe(true);
      expect(new URLSearchParams(sim.server.requests[0].query).get('password')).toBe(PASSWORD);
      expect(sim.server.requests[0].query).not.toContain('$&#');
    } finally {
      await http.close();
      await sim.stop();
    }
  });
});
