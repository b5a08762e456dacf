import type { HarmonysSimulator } from '../../src/simulators/harmonys';
import { Bridge, charId, read, serviceNames, T, waitFor, type HapAccessory } from './harness';
import { HARMONYS_KEY as KEY, startHarmonysBridge } from './harmonysBridge';

jest.setTimeout(90_000);

describe('Harmonys end to end: real Homebridge + HAP controller, TLS with a pinned certificate', () => {
  let sim: HarmonysSimulator;
  let bridge: Bridge;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ sim, bridge, stop } = await startHarmonysBridge());
  });

  afterAll(async () => {
    await stop?.();
  });

  it('switching the listed button on presses it once, the site sensors report the alert as events, the switch is back off', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    // Only the listed button is a switch; every site has an alert sensor.
    expect(serviceNames(accessories, T.switch)).toEqual(['PPMS Intrusion']);
    const sensors = serviceNames(accessories, T.contactSensor)
      .filter((n) => n.endsWith(' alert') && !n.startsWith('Any site'))
      .sort();
    expect(sensors).toEqual(['City kindergarten alert', 'Jules Ferry primary school alert', 'Marie Curie secondary school alert']);
    const state = charId(accessories, T.contactSensor, 'Jules Ferry primary school alert', T.contactState);
    expect(await read(client, state)).toMatchObject({ value: 0 });

    const watcher = await bridge.client();
    const events: Array<{ aid: number; iid: number; value: unknown }> = [];
    watcher.on('event', (e: { characteristics: Array<{ aid: number; iid: number; value: unknown }> }) => events.push(...e.characteristics));
    await watcher.subscribeCharacteristics([state]);

    const on = charId(accessories, T.switch, 'PPMS Intrusion', T.on);
    await client.setCharacteristics({ [on]: true });
    expect(sim.presses).toHaveLength(1);
    expect(sim.presses[0].siteUuids).toHaveLength(3);
    expect([...sim.alerts.keys()]).toHaveLength(3);

    const [aid, iid] = state.split('.').map(Number);
    await waitFor(() => events.some((e) => e.aid === aid && e.iid === iid && e.value === 1), 6000);
    await waitFor(() => false, 300).catch(() => undefined);
    expect(await read(client, on)).toMatchObject({ value: 0 });
    expect(sim.presses).toHaveLength(1);
    expect(bridge.output).toMatch(/PPMS Intrusion pressed: acknowledged by/);
    expect(bridge.output).not.toContain(KEY);
    await watcher.unsubscribeCharacteristics();
  });

  it('an intrusion and a confinement on two sites change only their own per-kind sensors, as HAP events', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    const [primary, secondary] = sim.opts.sites;
    const id = (site: string, kind: string) => charId(accessories, T.contactSensor, `${site} ${kind}`, T.contactState);
    const watched = {
      primaryIntrusion: id(primary.name, 'Intrusion'),
      primaryConfinement: id(primary.name, 'Confinement'),
      secondaryIntrusion: id(secondary.name, 'Intrusion'),
      secondaryConfinement: id(secondary.name, 'Confinement'),
    };
    sim.alerts.clear();
    await waitFor(() => false, 6000).catch(() => undefined);
    const watcher = await bridge.client();
    const events: Array<{ aid: number; iid: number; value: unknown }> = [];
    watcher.on('event', (e: { characteristics: Array<{ aid: number; iid: number; value: unknown }> }) => events.push(...e.characteristics));
    await watcher.subscribeCharacteristics(Object.values(watched));
    const opened = (charIdOf: string) => {
      const [aid, iid] = charIdOf.split('.').map(Number);
      return events.some((e) => e.aid === aid && e.iid === iid && e.value === 1);
    };
    const intrusion = sim.opts.buttons.find((b) => b.name === 'Intrusion')!.uuid;
    const confinement = sim.opts.buttons.find((b) => b.name === 'Confinement')!.uuid;
    sim.alerts.set(primary.uuid, intrusion);
    sim.alerts.set(secondary.uuid, confinement);
    await waitFor(() => opened(watched.primaryIntrusion) && opened(watched.secondaryConfinement), 12_000);
    expect(opened(watched.primaryConfinement)).toBe(false);
    expect(opened(watched.secondaryIntrusion)).toBe(false);
    expect((await read(client, watched.primaryConfinement)).value).toBe(0);
    sim.alerts.clear();
    await watcher.unsubscribeCharacteristics();
    await watcher.close();
    await client.close();
  });
});
