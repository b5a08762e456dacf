import { Bridge, charId, killAll, read, T, type HapAccessory } from '../e2e/harness';

jest.setTimeout(120_000);

/** Homebridge 1.x stops on its own 5 s timer; ours must be done within 2 s on 2.x. */
const HOMEBRIDGE_VERSION = process.env.MATRIX_HOMEBRIDGE_VERSION ?? '1.11 (the dev dependency)';
const HOMEBRIDGE_1 = HOMEBRIDGE_VERSION.startsWith('1.');

/**
 * The compatibility smoke of one node x Homebridge combination (scripts/matrix.sh runs the five supported ones): demo mode, pair,
 * read, write a cover and a thermostat and see them take effect, SIGTERM.
 */
describe(`smoke on node ${process.env.MATRIX_NODE_VERSION ?? process.version}, Homebridge ${HOMEBRIDGE_VERSION}`, () => {
  afterAll(() => killAll());

  it('starts in demo mode, pairs, reads, writes a cover and a thermostat, and stops in time', async () => {
    const bridge = await Bridge.create({ platforms: [{ platform: 'BuildingHub', name: 'Building Hub', demo: true }] });
    try {
      await bridge.start(60_000);
      await bridge.waitForLog(/Laundry leak: added/, 30_000);
      const client = await bridge.client();
      const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
      const target = charId(accessories, T.windowCovering, 'Office shutter', T.targetPosition);
      const current = charId(accessories, T.windowCovering, 'Office shutter', T.currentPosition);
      const heat = charId(accessories, T.thermostat, 'Office heater', T.targetTemperature);
      expect(typeof (await read(client, current)).value).toBe('number');
      await client.setCharacteristics({ [target]: 20, [heat]: 22.5 });
      // the demo gateway moves the cover in 4 s; the heater takes its setpoint at once
      const t0 = Date.now();
      let position: unknown;
      while (Date.now() - t0 < 20_000 && (position = (await read(client, current)).value) !== 20)
        await new Promise((r) => setTimeout(r, 250));
      expect(position).toBe(20);
      expect((await read(client, heat)).value).toBe(22.5);
      await client.close();
      const exitMs = await bridge.stop(HOMEBRIDGE_1 ? 8000 : 3000);
      expect(exitMs).toBeLessThan(HOMEBRIDGE_1 ? 7000 : 2000);
    } finally {
      await bridge.dispose();
    }
  });
});
