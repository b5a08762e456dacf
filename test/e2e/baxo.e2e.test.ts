import { BaxoSimulator, demoBaxo } from '../../src/simulators/baxo';
import { Bridge, charId, killAll, read, T, waitFor, type HapAccessory } from './harness';

jest.setTimeout(120_000);

describe('BAXO end to end: real Homebridge + HAP controller', () => {
  let sim: BaxoSimulator;
  let bridge: Bridge;

  beforeAll(async () => {
    const options = demoBaxo('fm@example.org', 'e2e-baxo-secret');
    for (const d of options.contracts[0].devices) for (const t of d.tags) t.drift = 0;
    sim = new BaxoSimulator(options);
    await sim.start();
    bridge = await Bridge.create({
      platforms: [
        {
          platform: 'BuildingHub',
          name: 'Building Hub',
          baxo: [
            {
              label: 'Plant',
              baseUrl: sim.url,
              username: 'fm@example.org',
              password: 'e2e-baxo-secret',
              pollIntervalSeconds: 30,
              tags: [
                { deviceId: '14587', tagReference: 'TEMP', as: 'temperature', name: 'Server room temperature' },
                { deviceId: '3219875446', tagReference: 'LEAK_FLOOR', as: 'leak', name: 'Floor leak' },
                { deviceId: '3219875446', tagReference: 'PUMP_ENABLE', as: 'switch', name: 'Circulation pump' },
              ],
            },
          ],
        },
      ],
    });
    await bridge.start();
    await bridge.waitForLog(/Plant room: added/);
    await bridge.waitForLog(/Server room: added/);
  });

  afterAll(async () => {
    await bridge?.dispose();
    await sim?.stop();
    killAll();
  });

  it('a temperature and a leak tag reach the HAP controller as events; a switch tag written through HAP changes the device', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    const temp = charId(accessories, T.temperatureSensor, 'Server room temperature', T.currentTemperature);
    const leak = charId(accessories, T.leakSensor, 'Floor leak', T.leakDetected);
    const pump = charId(accessories, T.switch, 'Circulation pump', T.on);
    expect(await read(client, temp)).toMatchObject({ value: 22.4 });
    expect(await read(client, leak)).toMatchObject({ value: 0 });
    expect(await read(client, pump)).toMatchObject({ value: 1 });

    const events: Array<{ aid: number; iid: number; value: unknown }> = [];
    client.on('event', (e: { characteristics: Array<{ aid: number; iid: number; value: unknown }> }) => events.push(...e.characteristics));
    await client.subscribeCharacteristics([temp, leak]);
    sim.setTag('14587', 'TEMP', '27.5');
    sim.setTag('3219875446', 'LEAK_FLOOR', '1');
    const seen = (id: string, value: unknown) => {
      const [aid, iid] = id.split('.').map(Number);
      return events.some((e) => e.aid === aid && e.iid === iid && e.value === value);
    };
    await waitFor(() => seen(temp, 27.5) && seen(leak, 1), 40_000);

    await client.setCharacteristics({ [pump]: false });
    // answered once queued; the tag write follows with its batch
    await waitFor(() => sim.writes.length > 0, 5000);
    expect(sim.writes).toEqual([{ deviceId: '3219875446', tagRef: 'PUMP_ENABLE', value: '0' }]);
    expect(await read(client, pump)).toMatchObject({ value: 0 });
    await client.unsubscribeCharacteristics();
    expect(bridge.output).not.toContain('e2e-baxo-secret');
  });
});
