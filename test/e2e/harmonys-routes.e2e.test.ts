import type { HarmonysSimulator } from '../../src/simulators/harmonys';
import { Bridge, charId, read, T, type HapAccessory } from './harness';
import { startHarmonysBridge } from './harmonysBridge';

jest.setTimeout(90_000);

describe('Harmonys end to end: a failing status route never blocks an alert button', () => {
  let sim: HarmonysSimulator;
  let bridge: Bridge;

  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ sim, bridge, stop } = await startHarmonysBridge());
  });

  afterAll(async () => {
    await stop?.();
  });

  it.each(['/api/v1/sites/disconnected', '/api/v1/sites/inAlert'])(
    'with %s failing, the button still presses: exactly one POST per switch-on; only the site sensors show it',
    async (route) => {
      const client = await bridge.client();
      const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
      const on = charId(accessories, T.switch, 'PPMS Intrusion', T.on);
      const state = charId(accessories, T.contactSensor, 'Jules Ferry primary school alert', T.contactState);
      sim.server.injectFault(100_000, { status: 520, pathPrefix: route });
      try {
        // failures lasting 2 polls and 30 s (counted from the first failed poll): the site sensors go No Response
        let down: number | undefined;
        for (let i = 0; i < 100 && down === undefined; i++) {
          await new Promise((r) => setTimeout(r, 500));
          down = (await read(client, state)).status;
        }
        expect(down).toBe(-70402);
        expect((await read(client, on)).status).toBeUndefined();
        // past the double-tap guard of the previous press
        const before = sim.presses.length;
        await client.setCharacteristics({ [on]: true });
        expect(sim.presses.length - before).toBe(1);
        expect(await read(client, on)).toMatchObject({ value: 0 });
      } finally {
        sim.server.clearFaults();
      }
      // back within a few polls of the route healing (its backoff is capped while the main route works)
      let status: number | undefined = -1;
      for (let i = 0; i < 60 && status !== undefined; i++) {
        await new Promise((r) => setTimeout(r, 500));
        status = (await read(client, state)).status;
      }
      expect(status).toBeUndefined();
      await client.close();
    },
  );
});
