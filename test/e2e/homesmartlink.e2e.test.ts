import { planWindow } from '../../src/integrations/homesmartlink/derogation';
import { HomeSmartlinkSimulator, demoHomes } from '../../src/simulators/homesmartlink';
import { Bridge, charId, killAll, read, serviceNames, T, waitFor, type HapAccessory } from './harness';

jest.setTimeout(90_000);

/** Calls one derogation batch takes now: one per part of a 2-hour window in Europe/Paris (two across midnight). */
const windowParts = () => planWindow(Date.now(), 120, 'Europe/Paris').length;

describe('HomeSmartlink end to end: real Homebridge + HAP controller', () => {
  let sim: HomeSmartlinkSimulator;
  let bridge: Bridge;

  const platform = (url: string) => ({
    platform: 'BuildingHub',
    name: 'Building Hub',
    homesmartlink: [
      {
        label: 'School',
        baseUrl: url,
        clientId: 'e2e-partner',
        clientSecret: 'e2e-secret-value',
        homeIds: ['school-main', 'school-annex'],
        pollIntervalSeconds: 30,
      },
    ],
  });

  beforeAll(async () => {
    sim = new HomeSmartlinkSimulator({ clientId: 'e2e-partner', clientSecret: 'e2e-secret-value', homes: demoHomes() });
    await sim.start();
    bridge = await Bridge.create({ platforms: [platform(sim.url)] });
    await bridge.start();
    await bridge.waitForLog(/Infirmary: added/);
  });

  afterAll(async () => {
    await bridge?.dispose();
    await sim?.stop();
    killAll();
  });

  it(
    'shows the thermostats with current temperature and mode, writes a target as a derogation, and "Eco all" reaches every room ' +
      'in one call',
    async () => {
      const client = await bridge.client();
      const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
      expect(serviceNames(accessories, T.thermostat).sort()).toEqual(
        [
          'Classroom 1',
          'Infirmary',
          'Library',
          'Meeting room 1',
          'Meeting room 2',
          'Office 1',
          'Office 2',
          'Reception',
          'Staff bathroom',
          'Staff room',
        ].sort(),
      );
      const current = await read(client, charId(accessories, T.thermostat, 'Reception', T.currentTemperature));
      expect(typeof current.value).toBe('number');
      expect(await read(client, charId(accessories, T.thermostat, 'Reception', T.currentHeatingState))).toMatchObject({ value: 1 });
      expect(await read(client, charId(accessories, T.thermostat, 'Reception', T.targetTemperature))).toMatchObject({ value: 20 });

      const target = charId(accessories, T.thermostat, 'Reception', T.targetTemperature);
      const sent = sim.derogations.length;
      await client.setCharacteristics({ [target]: 22 });
      await waitFor(() => sim.derogations.length > sent, 5000);
      expect(sim.derogations.at(-1)).toMatchObject({ homeId: 'school-main', roomId: 1, delta: 2 });
      expect(await read(client, target)).toMatchObject({ value: 22 });

      // A second controller subscribed to the target sees the change the plugin itself pushes.
      const watcher = await bridge.client();
      const events: Array<{ aid: number; iid: number; value: unknown }> = [];
      watcher.on('event', (e: { characteristics: Array<{ aid: number; iid: number; value: unknown }> }) =>
        events.push(...e.characteristics),
      );
      await watcher.subscribeCharacteristics([target]);

      const before = sim.server.count('POST', '/partners/1/derogations');
      await client.setCharacteristics({ [charId(accessories, T.switch, 'Eco all', T.on)]: true });
      // one call per part of the window: two when it crosses midnight in the homes' zone (Europe/Paris by default)
      expect(sim.server.count('POST', '/partners/1/derogations')).toBe(before + windowParts());
      const call = JSON.parse(sim.server.requests.filter((r) => r.path === '/partners/1/derogations').at(-1)!.body).derogations;
      expect(call).toHaveLength(9); // every room of both homes (the meeting room has two heaters, one derogation)
      expect(call.every((d: { delta: number }) => d.delta === -2)).toBe(true);
      expect(await read(client, charId(accessories, T.switch, 'Eco all', T.on))).toMatchObject({ value: 1 });
      // Eco all replaces Reception's +2 with -2: the target goes from 22 to 18 and the watcher is told.
      const [aid, iid] = target.split('.').map(Number);
      await waitFor(() => events.some((e) => e.aid === aid && e.iid === iid && e.value === 18), 5000);
      await watcher.unsubscribeCharacteristics();
      expect(bridge.output).not.toContain('e2e-secret-value');
    },
  );

  it(
    'stops within 2 s of SIGTERM with loops and requests in flight, and a restart with the vendor down keeps every accessory as ' +
      'No Response',
    async () => {
      const client = await bridge.client();
      const { accessories: before } = (await client.getAccessories()) as { accessories: HapAccessory[] };
      await client.close();
      // Hold the next requests open so the shutdown happens with requests in flight.
      sim.server.injectFault(5, { delayMs: 8000 });
      const exitMs = await bridge.stop();
      expect(exitMs).toBeLessThan(2000);

      await sim.stop();
      await bridge.start();
      const again = await bridge.client();
      const { accessories: after } = (await again.getAccessories()) as { accessories: HapAccessory[] };
      expect(serviceNames(after, T.thermostat).sort()).toEqual(serviceNames(before, T.thermostat).sort());
      const target = charId(after, T.thermostat, 'Reception', T.targetTemperature);
      await waitFor(() => /polling the homes failed/.test(bridge.output), 20_000);
      const res = await read(again, target);
      expect(res.status).toBe(-70402);
      await again.close();
    },
  );
});
