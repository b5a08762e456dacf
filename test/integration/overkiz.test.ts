import type { CoverCapability } from '../../src/core/model';
import { OverkizIntegration } from '../../src/integrations/overkiz/integration';
import type { OverkizDevice } from '../../src/integrations/overkiz/schemas';
import { overkizAccountSchema } from '../../src/integrations/overkiz/account';
import { OverkizSimulator } from '../../src/simulators/overkiz';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';
import { overkizFixture, shutters } from '../helpers/overkizFixture';
import { tempDir } from '../helpers/tempDir';

const PASSWORD = 'somfy-p@ss';
const fixture = overkizFixture;

interface SetupOptions {
  devices?: OverkizDevice[];
  password?: string;
  /** Simulator options beyond the account and devices. */
  sim?: Partial<ConstructorParameters<typeof OverkizSimulator>[0]>;
  /** Account options beyond the credentials. */
  account?: Record<string, unknown>;
  onDiscovery?: (ids: string[]) => void;
}

async function setup(opts: SetupOptions = {}) {
  const clock = new ManualClock();
  const sim = new OverkizSimulator({
    userId: 'me@example.org',
    password: PASSWORD,
    devices: opts.devices ?? structuredClone(fixture.devices),
    now: () => clock.now(),
    ...opts.sim,
  });
  await sim.start();
  const log = new CapturedLog();
  const account = overkizAccountSchema.parse({
    label: 'Home',
    server: 'custom',
    baseUrl: sim.url,
    username: 'me@example.org',
    password: opts.password ?? PASSWORD,
    ...opts.account,
  });
  const integration = new OverkizIntegration(account, { log, clock, storagePath: tempDir('okz') });
  clock.busy = () => sim.server.inFlight > 0 || integration.http.inFlight > 0;
  if (opts.onDiscovery) integration.onDiscovery(opts.onDiscovery);
  const abort = new AbortController();
  await integration.start(abort.signal);
  const cover = (url: string) =>
    integration
      .devices()
      .find((d) => d.id === url)
      ?.capabilities.find((c) => c.kind === 'cover') as CoverCapability | undefined;
  const count = (path: string, method = 'POST') => sim.server.requests.filter((r) => r.method === method && r.path.endsWith(path)).length;
  return {
    clock,
    sim,
    log,
    integration,
    cover,
    count,
    async stop() {
      abort.abort();
      await sim.stop();
    },
  };
}

describe('Overkiz against the simulator', () => {
  it('logs in once, reads /setup once, registers a listener, and maps the devices', async () => {
    const t = await setup();
    try {
      expect(t.count('/login')).toBe(1);
      expect(t.count('/setup', 'GET')).toBe(1);
      expect(t.count('/events/register')).toBe(1);
      expect(t.integration.devices().length).toBeGreaterThanOrEqual(25);
      expect(t.cover('io://0000-1111-2222/100001')).toMatchObject({ currentPosition: 70 });
    } finally {
      await t.stop();
    }
  });

  it('20 covers given a target within 150 ms -> exactly 1 /exec/apply carrying 20 actions', async () => {
    const t = await setup({ devices: shutters(20) });
    try {
      const writes = shutters(20).map((d, i) =>
        t.integration.execute(d.deviceURL, { capabilityId: 'cover', type: 'setPosition', position: i * 5 }),
      );
      await t.clock.advance(150);
      await Promise.all(writes);
      expect(t.count('/exec/apply')).toBe(1);
      expect(t.sim.executions[0].actions).toHaveLength(20);
      await t.clock.advance(2000);
      expect(t.cover('io://0000-1111-2222/20003')).toMatchObject({ currentPosition: 15 });
    } finally {
      await t.stop();
    }
  });

  it('10 targets written to one cover within 1 s -> the cover ends at the last value with at most 2 /exec/apply', async () => {
    const t = await setup({ devices: shutters(1) });
    const url = 'io://0000-1111-2222/20000';
    try {
      const writes: Array<Promise<void>> = [];
      for (let i = 1; i <= 10; i++) {
        writes.push(t.integration.execute(url, { capabilityId: 'cover', type: 'setPosition', position: i * 10 - 5 }));
        await t.clock.advance(100);
      }
      await Promise.all(writes);
      await t.clock.advance(2000);
      expect(t.count('/exec/apply')).toBeGreaterThanOrEqual(1);
      expect(t.count('/exec/apply')).toBeLessThanOrEqual(2);
      expect(t.sim.device(url)!.states.find((s) => s.name === 'core:ClosureState')!.value).toBe(5);
      expect(t.cover(url)).toMatchObject({ currentPosition: 95, targetPosition: 95 });
    } finally {
      await t.stop();
    }
  });

  it('a listener dropped by the server is replaced within 2 fetch cycles, and no state is lost', async () => {
    const t = await setup({ devices: shutters(1) });
    const url = 'io://0000-1111-2222/20000';
    try {
      await t.clock.advance(3000);
      t.sim.dropListeners();
      t.sim.server.resetLog();
      await t.clock.advance(2 * 3000); // two idle fetch cycles
      expect(t.count('/events/register')).toBe(1);
      t.sim.setState(url, 'core:ClosureState', 40);
      await t.clock.advance(3000);
      expect(t.cover(url)).toMatchObject({ currentPosition: 60 });
    } finally {
      await t.stop();
    }
  });

  it('a cover moved while no listener existed reaches Home after the re-register (states read once)', async () => {
    const t = await setup({ devices: shutters(2) });
    const url = 'io://0000-1111-2222/20000';
    try {
      await t.clock.advance(3000);
      t.sim.dropListeners();
      t.sim.setState(url, 'core:ClosureState', 30); // no listener: no event carries it
      t.sim.server.resetLog();
      await t.clock.advance(3000);
      expect(t.count('/events/register')).toBe(1);
      expect(t.cover(url)).toMatchObject({ currentPosition: 70 });
      // the first re-read of the day is one /setup/devices; the next ones read each device's states (no quota)
      expect(t.count('/setup/devices', 'GET')).toBe(1);
      t.sim.dropListeners();
      t.sim.setState(url, 'core:ClosureState', 10);
      t.sim.server.resetLog();
      await t.clock.advance(3000);
      expect(t.cover(url)).toMatchObject({ currentPosition: 90 });
      expect(t.count('/setup/devices', 'GET')).toBe(0);
      expect(t.sim.server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/states'))).toHaveLength(2);
    } finally {
      await t.stop();
    }
  });

  it('a HomeKit write that meets an ended session logs in once and is sent', async () => {
    const t = await setup({ devices: shutters(1) });
    const url = 'io://0000-1111-2222/20000';
    try {
      await t.clock.advance(3000);
      t.sim.expireSessions();
      t.sim.server.resetLog();
      await t.integration.execute(url, { capabilityId: 'cover', type: 'setPosition', position: 20 });
      await t.clock.advance(200);
      expect(t.count('/login')).toBe(1);
      expect(t.sim.executions.at(-1)?.actions).toEqual([{ deviceURL: url, commands: [{ name: 'setClosure', parameters: [80] }] }]);
      await t.clock.advance(5000);
      expect(t.count('/login')).toBe(1);
      expect(t.log.matching(/setPosition.*failed/)).toHaveLength(0);
      expect(t.cover(url)?.fault).toBeFalsy();
    } finally {
      await t.stop();
    }
  });

  it('a burst of device created/updated/removed events costs at most one /setup read per 10 minutes', async () => {
    const t = await setup({ devices: shutters(1), account: { pollIntervalSeconds: 30 } });
    try {
      await t.clock.advance(3000);
      t.sim.server.resetLog();
      for (let i = 0; i < 5; i++) {
        t.sim.emit({ name: i % 2 ? 'DeviceUpdatedEvent' : 'DeviceCreatedEvent', deviceURL: `io://0000-1111-2222/9${i}` });
        await t.clock.advance(60_000);
      }
      // the setup was read at start: the burst waits until 10 minutes after that, then one read
      expect(t.count('/setup', 'GET')).toBe(0);
      await t.clock.advance(6 * 60_000);
      expect(t.count('/setup', 'GET')).toBe(1);
      t.sim.emit({ name: 'DeviceRemovedEvent', deviceURL: 'io://0000-1111-2222/91' });
      await t.clock.advance(5 * 60_000);
      expect(t.count('/setup', 'GET')).toBe(1);
      await t.clock.advance(6 * 60_000);
      expect(t.count('/setup', 'GET')).toBe(2);
    } finally {
      await t.stop();
    }
  });

  it('an expired session -> exactly one new /login', async () => {
    const t = await setup({ devices: shutters(1) });
    try {
      await t.clock.advance(3000);
      t.sim.expireSessions();
      t.sim.server.resetLog();
      await t.clock.advance(10_000);
      expect(t.count('/login')).toBe(1);
      expect(t.sim.server.requests.filter((r) => r.status === 401)).toHaveLength(1);
      // and the events flow again (idle: one fetch every 4 s)
      expect(t.count('/fetch')).toBeGreaterThanOrEqual(3);
    } finally {
      await t.stop();
    }
  });

  it('a wrong password over 24 h: 3 more tries in the first hour, then one every 6 hours, one line per try, no secret', async () => {
    const t = await setup({ password: 'wrong-pass' });
    try {
      await t.clock.advance(24 * 60 * 60_000);
      const at = t.sim.server.requests.filter((r) => r.path.endsWith('/login')).map((r) => r.at);
      const logins = at.map((a) => (a - at[0]) / 60_000);
      // tries at 0, 5, 20 and 50 min, then 6 h 50, 12 h 50, 18 h 50
      expect(logins.map(Math.round)).toEqual([0, 5, 20, 50, 410, 770, 1130]);
      expect(t.sim.server.count()).toBe(logins.length);
      const lines = t.log.matching(/reading Overkiz events failed: login refused: Bad credentials.*Check the credentials/, 'error');
      expect(lines).toHaveLength(7);
      expect(lines[3]).toMatch(/Refused 4 time\(s\) in a row; next try in 6 h/);
      expect(t.log.text()).not.toContain('wrong-pass');
    } finally {
      await t.stop();
    }
  });

  it('a ban ("too many attempts, temporarily banned") means no request for an hour', async () => {
    const banned = JSON.stringify({ errorCode: 'UNSPECIFIED_ERROR', error: 'Too many attempts with an invalid token, temporarily banned' });
    const t = await setup({ sim: { loginFault: { status: 401, body: banned } } });
    try {
      const first = t.sim.server.requests.length;
      expect(first).toBe(1);
      await t.clock.advance(59 * 60_000);
      expect(t.sim.server.requests).toHaveLength(1);
      await t.clock.advance(2 * 60_000);
      expect(t.sim.server.requests.length).toBeGreaterThan(1);
    } finally {
      await t.stop();
    }
  });

  it('idle for an hour: one fetch per idle interval (±2 %); during and for 60 s after an execution, one per second', async () => {
    const t = await setup({ devices: shutters(1), account: { idlePollSeconds: 10 } });
    const fetches = () => t.sim.server.requests.filter((r) => r.path.endsWith('/fetch')).length;
    try {
      await t.clock.advance(5000);
      t.sim.server.resetLog();
      await t.clock.advance(60 * 60_000);
      expect(Math.abs(fetches() - 360)).toBeLessThanOrEqual(7);
      expect(t.count('/setup', 'GET')).toBe(0);
      t.sim.server.resetLog();
      await t.integration.execute('io://0000-1111-2222/20000', { capabilityId: 'cover', type: 'setPosition', position: 30 });
      await t.clock.advance(60_000);
      expect(fetches()).toBeGreaterThanOrEqual(58);
      expect(fetches()).toBeLessThanOrEqual(61);
      t.sim.server.resetLog();
      await t.clock.advance(10 * 60_000);
      expect(Math.abs(fetches() - 60)).toBeLessThanOrEqual(2);
    } finally {
      await t.stop();
    }
  }, 60_000);

  it('a FAILED execution puts the target back to the real state and logs the device and failure type', async () => {
    const devices = shutters(1);
    const url = devices[0].deviceURL;
    const t = await setup({ devices, sim: { broken: { [url]: 'NO_ANSWER_FROM_DEVICE' } } });
    try {
      await t.integration.execute(url, { capabilityId: 'cover', type: 'setPosition', position: 10 });
      // answered once queued: Home shows the asked target until the execution's verdict
      expect(t.cover(url)).toMatchObject({ targetPosition: 10 });
      await t.clock.advance(2000);
      expect(t.cover(url)).toMatchObject({ currentPosition: 70, targetPosition: 70 });
      expect(t.log.matching(/Shutter 1: the command failed \(NO_ANSWER_FROM_DEVICE\)/, 'warn')).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });
});

describe('Overkiz limits, scenarios, moving covers and setup changes', () => {
  it(
    'a full execution queue: the write was answered, then its target returns to the real position with a fault and one log ' + 'line',
    async () => {
      const devices = shutters(2);
      // the first execution still runs (a cover travelling) when the second comes
      const t = await setup({ devices, sim: { execQueueSize: 1, travelMs: 60_000 }, account: { setupOID: 'setup-42' } });
      try {
        expect(new URLSearchParams(t.sim.server.requests.find((r) => r.path.endsWith('/login'))!.body).get('setupOID')).toBe('setup-42');
        await t.integration.execute(devices[0].deviceURL, { capabilityId: 'cover', type: 'setPosition', position: 10 });
        await t.clock.advance(200);
        const before = t.cover(devices[1].deviceURL)!.targetPosition;
        await expect(
          t.integration.execute(devices[1].deviceURL, { capabilityId: 'cover', type: 'setPosition', position: 10 }),
        ).resolves.toBeUndefined();
        expect(t.cover(devices[1].deviceURL)).toMatchObject({ targetPosition: 10 });
        await t.clock.advance(200);
        expect(t.cover(devices[1].deviceURL)).toMatchObject({ targetPosition: before, fault: true });
        expect(t.log.matching(/Shutter 2: setPosition\(10\) failed: .*showing its real state again/, 'warn')).toHaveLength(1);
      } finally {
        await t.stop();
      }
    },
  );

  it('a device under a wind lock refuses writes from Home with the reason; a user lock is overridden via highPriority', async () => {
    const shutters = fixture.devices.filter((d) => d.definition.commands.some((c) => c.commandName === 'setClosure')).slice(0, 2);
    const lock = (d: (typeof shutters)[number], level: string, origin: string) => ({
      ...structuredClone(d),
      states: [...d.states, { name: 'io:PriorityLockLevelState', value: level }, { name: 'io:PriorityLockOriginatorState', value: origin }],
    });
    const windy = lock(shutters[0], 'environmentProtection', 'wind');
    const user = lock(shutters[1], 'userLevel2', 'localUser');
    const t = await setup({ devices: [windy, user] });
    try {
      await expect(t.integration.execute(windy.deviceURL, { capabilityId: 'cover', type: 'setPosition', position: 10 })).rejects.toThrow(
        /is locked by wind \(priority lock environmentProtection\): the command was not sent/,
      );
      await t.integration.execute(user.deviceURL, { capabilityId: 'cover', type: 'setPosition', position: 10 });
      await t.clock.advance(300);
      expect(t.sim.executions).toHaveLength(1);
      expect(t.sim.executions[0]).toMatchObject({ highPriority: true, actions: [{ deviceURL: user.deviceURL }] });
      await t.clock.advance(3000);
      const cover = t.integration.device(user.deviceURL)!.capabilities.find((c) => c.kind === 'cover');
      expect(cover).toMatchObject({ currentPosition: 10 });
      expect(cover?.fault).toBeFalsy();
    } finally {
      await t.stop();
    }
  });

  it('writes to different aspects of one device merge into one action: position + tilt, heater mode + setpoint', async () => {
    const blind = fixture.devices.find((d) => d.definition.commands.some((c) => c.commandName === 'setOrientation'));
    const heater = fixture.devices.find(
      (d) => d.uiClass === 'HeatingSystem' && d.definition.commands.some((c) => c.commandName === 'setTargetTemperature'),
    );
    expect(blind && heater).toBeTruthy();
    const t = await setup({ devices: [structuredClone(blind!), structuredClone(heater!)] });
    try {
      const heaterCaps = t.integration.device(heater!.deviceURL)!.capabilities.find((c) => c.kind === 'thermostat') as {
        modes: string[];
        mode: string;
      };
      const otherMode = heaterCaps.modes.find((m) => m !== heaterCaps.mode)!;
      await t.integration.execute(blind!.deviceURL, { capabilityId: 'cover', type: 'setPosition', position: 40 });
      await t.integration.execute(heater!.deviceURL, { capabilityId: 'thermostat', type: 'setMode', mode: otherMode as 'heat' });
      await t.integration.execute(blind!.deviceURL, { capabilityId: 'cover', type: 'setTilt', tilt: 0 });
      await t.integration.execute(heater!.deviceURL, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 21 });
      // the same aspect again: the last value wins
      await t.integration.execute(blind!.deviceURL, { capabilityId: 'cover', type: 'setPosition', position: 60 });
      await t.clock.advance(300);
      expect(t.sim.executions).toHaveLength(1);
      const [blindAction, heaterAction] = t.sim.executions[0].actions;
      const names = (a: { commands: Array<{ name: string; parameters: unknown[] }> }) =>
        a.commands.map((c) => `${c.name}:${c.parameters.join(',')}`);
      const blindCommands = names(blindAction);
      expect(blindCommands.some((c) => /^setClosure(AndOrientation)?:40/.test(c))).toBe(true);
      expect(blindCommands.some((c) => /^(setClosureAndOrientation:40,0|setOrientation:0)$/.test(c))).toBe(true);
      expect(blindCommands).toHaveLength(blindCommands[0].startsWith('setClosureAndOrientation') ? 1 : 2);
      expect(names(heaterAction)).toHaveLength(2);
      expect(names(heaterAction)[1]).toBe('setTargetTemperature:21');
    } finally {
      await t.stop();
    }
  });

  it('offers scenarios as momentary switches when asked, and runs one per switch-on', async () => {
    const t = await setup({
      devices: shutters(1),
      sim: { actionGroups: [{ oid: 'ag-1', label: 'Good night' }] },
      account: { exposeScenarios: true },
    });
    try {
      const scenario = t.integration.devices().find((d) => d.name === 'Good night')!;
      expect(scenario.capabilities[0]).toMatchObject({ kind: 'switch', momentary: true, on: false });
      await t.integration.execute(scenario.id, { capabilityId: 'run', type: 'setOn', on: true });
      await t.integration.execute(scenario.id, { capabilityId: 'run', type: 'setOn', on: false });
      expect(t.sim.scenarioRuns).toEqual(['ag-1']);
    } finally {
      await t.stop();
    }
  });

  it('a cover that takes time to move reports "moving" and then its final position', async () => {
    const devices = shutters(1);
    const url = devices[0].deviceURL;
    const t = await setup({ devices, sim: { travelMs: 300 } });
    try {
      const w = t.integration.execute(url, { capabilityId: 'cover', type: 'setPosition', position: 100 });
      await t.clock.advance(200);
      await w;
      await t.clock.advance(1000);
      expect(t.cover(url)).toMatchObject({ currentPosition: 70, targetPosition: 100, positionState: 'increasing' });
      await new Promise((r) => setTimeout(r, 400));
      await t.clock.advance(1000);
      expect(t.cover(url)).toMatchObject({ currentPosition: 100, positionState: 'stopped' });
    } finally {
      await t.stop();
    }
  });

  it('a device created in the Overkiz app appears without a restart (the setup is read again once)', async () => {
    const devices = shutters(1);
    const discoveries: string[][] = [];
    const t = await setup({ devices, onDiscovery: (ids) => discoveries.push(ids), account: { pollIntervalSeconds: 30 } });
    try {
      await t.clock.advance(10 * 60_000); // a quiet account: the next change is read at once
      const added = { ...structuredClone(devices[0]), deviceURL: 'io://0000-1111-2222/30001', label: 'New shutter' };
      t.sim.opts.devices.push(added);
      t.sim.emit({ name: 'DeviceCreatedEvent', deviceURL: added.deviceURL, label: added.label, controllableName: added.controllableName });
      await t.clock.advance(61_000); // the event arrives with one fetch, the setup is read at the next
      expect(t.integration.devices().map((d) => d.name)).toContain('New shutter');
      expect(t.count('/setup', 'GET')).toBe(2);
      expect(discoveries.at(-1)).toContain('io://0000-1111-2222/30001');
      await t.clock.advance(60_000);
      expect(t.count('/setup', 'GET')).toBe(2);
    } finally {
      await t.stop();
    }
  });

  it('a DeviceRemovedEvent makes one real /setup read (a discovery); the lifecycle asks for the second one', async () => {
    const devices = shutters(2);
    const discoveries: string[][] = [];
    const t = await setup({ devices, onDiscovery: (ids) => discoveries.push(ids), account: { pollIntervalSeconds: 30 } });
    try {
      await t.clock.advance(10 * 60_000);
      const [kept, removed] = devices;
      t.sim.opts.devices.splice(1, 1);
      t.sim.emit({ name: 'DeviceRemovedEvent', deviceURL: removed.deviceURL, controllableName: removed.controllableName });
      await t.clock.advance(61_000); // the event arrives with one fetch, the setup is read at the next
      expect(t.count('/setup', 'GET')).toBe(2);
      expect(discoveries.filter((ids) => !ids.includes(removed.deviceURL))).toHaveLength(1);
      t.integration.rediscover();
      await t.clock.advance(61_000);
      expect(t.count('/setup', 'GET')).toBe(3);
      expect(discoveries.filter((ids) => !ids.includes(removed.deviceURL))).toHaveLength(2);
      expect(discoveries.every((ids) => ids.includes(kept.deviceURL))).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
