import { demoFestime, FestimeSimulator } from '../../src/simulators/festime';
import { Bridge, charId, killAll, read, serviceNames, T, waitFor, type HapAccessory } from './harness';

jest.setTimeout(120_000);

const PASSWORD = 'E2e$&#Pass';

describe('Festime end to end: real Homebridge + HAP controller', () => {
  let sim: FestimeSimulator;
  let bridge: Bridge;

  beforeAll(async () => {
    sim = new FestimeSimulator(demoFestime('e2e', PASSWORD));
    await sim.start();
    bridge = await Bridge.create({
      platforms: [
        {
          platform: 'BuildingHub',
          name: 'Building Hub',
          festime: [{ label: 'Office', baseUrl: sim.url, login: 'e2e', password: PASSWORD, pollIntervalSeconds: 15 }],
        },
      ],
    });
    await bridge.start();
    await bridge.waitForLog(/Anyone present: added/);
  });

  afterAll(async () => {
    await bridge?.dispose();
    await sim?.stop();
    killAll();
  });

  it('badging in turns "Anyone present" on as a HAP event, badging out turns it off, and the sync switch calls Festime once', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    // One overall sensor and one per access point; nobody is exposed individually unless listed.
    expect(serviceNames(accessories, T.occupancySensor).sort()).toEqual([
      'Anyone present',
      'Present at Accès parking',
      'Present at Accès porte Sud',
    ]);
    const occupied = charId(accessories, T.occupancySensor, 'Anyone present', T.occupancyDetected);
    expect(await read(client, occupied)).toMatchObject({ value: 0 });

    const events: Array<{ aid: number; iid: number; value: unknown }> = [];
    client.on('event', (e: { characteristics: Array<{ aid: number; iid: number; value: unknown }> }) => events.push(...e.characteristics));
    await client.subscribeCharacteristics([occupied]);
    const [aid, iid] = occupied.split('.').map(Number);

    sim.badge('71', 'A');
    await waitFor(() => events.some((e) => e.aid === aid && e.iid === iid && e.value === 1), 25_000);
    sim.badge('71', 'D');
    await waitFor(() => events.some((e) => e.aid === aid && e.iid === iid && e.value === 0), 25_000);

    await client.setCharacteristics({ [charId(accessories, T.switch, 'Sync badges to terminals', T.on)]: true });
    expect(sim.transfers).toEqual(['utilisateurs']);
    await client.unsubscribeCharacteristics();
    expect(bridge.output).toMatch(/badge sync to Accès porte Sud/);
    for (const form of [PASSWORD, encodeURIComponent(PASSWORD)]) expect(bridge.output).not.toContain(form);
  });
});
