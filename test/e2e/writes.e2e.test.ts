import { demoOverkiz, OverkizSimulator } from '../../src/simulators/overkiz';
import { planWindow } from '../../src/integrations/homesmartlink/derogation';
import { demoHomes, HomeSmartlinkSimulator } from '../../src/simulators/homesmartlink';
import { Bridge, charId, killAll, read, T, waitFor, type HapAccessory } from './harness';

jest.setTimeout(90_000);

/**
 * Write semantics through the real path: a HAP controller sends one request at a time on its connection and
 * waits for the answer, so separate writes batch only if each is answered once queued (ARCHITECTURE).
 */
describe('writes through a real Homebridge + HAP controller', () => {
  let overkiz: OverkizSimulator;
  let hsl: HomeSmartlinkSimulator;
  let bridge: Bridge;
  /** What happened, in order: HAP answers and vendor calls. */
  const order: string[] = [];
  const ROOMS = ['Kitchen', 'Living room', 'Dining room', 'Office', 'Bedroom 1'];

  beforeAll(async () => {
    overkiz = new OverkizSimulator(demoOverkiz('me@example.org', 'e2e-writes-pass'));
    hsl = new HomeSmartlinkSimulator({ clientId: 'e2e-partner', clientSecret: 'e2e-secret-value', homes: demoHomes() });
    await overkiz.start();
    await hsl.start();
    const push = overkiz.executions.push.bind(overkiz.executions);
    overkiz.executions.push = (...items) => {
      order.push('exec/apply');
      return push(...items);
    };
    const derogate = hsl.derogations.push.bind(hsl.derogations);
    hsl.derogations.push = (...items) => {
      order.push('derogations');
      return derogate(...items);
    };
    bridge = await Bridge.create({
      platforms: [
        {
          platform: 'BuildingHub',
          name: 'Building Hub',
          overkiz: [{ label: 'House', server: 'custom', baseUrl: overkiz.url, username: 'me@example.org', password: 'e2e-writes-pass' }],
          homesmartlink: [
            {
              label: 'School',
              baseUrl: hsl.url,
              clientId: 'e2e-partner',
              clientSecret: 'e2e-secret-value',
              homeIds: ['school-main', 'school-annex'],
              pollIntervalSeconds: 30,
            },
          ],
        },
      ],
    });
    await bridge.start();
    await bridge.waitForLog(/Laundry leak: added/);
    await bridge.waitForLog(/Reception: added/);
  });

  afterAll(async () => {
    await bridge?.dispose();
    await overkiz?.stop();
    await hsl?.stop();
    killAll();
  });

  const accessoriesOf = async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    return { client, accessories };
  };

  it(
    'five covers written as five separate HAP writes at once -> one /exec/apply carrying all five, each answered before it is ' + 'sent',
    async () => {
      const { client, accessories } = await accessoriesOf();
      const targets = ROOMS.map((room) => charId(accessories, T.windowCovering, `${room} shutter`, T.targetPosition));
      const before = overkiz.executions.length;
      order.length = 0;
      // One connection: hap-controller queues them and sends each only after the previous answer.
      await Promise.all(targets.map((id, i) => client.setCharacteristics({ [id]: 10 + i }).then(() => order.push('answer'))));
      await waitFor(() => overkiz.executions.length > before, 5000);
      await new Promise((r) => setTimeout(r, 1500));
      const execs = overkiz.executions.slice(before);
      expect(execs.length).toBeGreaterThanOrEqual(1);
      expect(execs.length).toBeLessThanOrEqual(2);
      expect(execs.flatMap((x) => x.actions)).toHaveLength(5);
      expect(order.slice(0, 5)).toEqual(['answer', 'answer', 'answer', 'answer', 'answer']);
      expect(order[5]).toBe('exec/apply');
      await client.close();
    },
  );

  it('the same five in one PUT -> one /exec/apply', async () => {
    const { client, accessories } = await accessoriesOf();
    const targets = ROOMS.map((room) => charId(accessories, T.windowCovering, `${room} shutter`, T.targetPosition));
    await new Promise((r) => setTimeout(r, 1500));
    const before = overkiz.executions.length;
    await client.setCharacteristics(Object.fromEntries(targets.map((id, i) => [id, 60 + i])));
    await waitFor(() => overkiz.executions.length > before, 5000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(overkiz.executions.slice(before)).toHaveLength(1);
    expect(overkiz.executions.at(-1)!.actions.map((a) => a.commands[0])).toEqual(
      ROOMS.map((_, i) => ({ name: 'setClosure', parameters: [100 - (60 + i)] })),
    );
    await client.close();
  });

  it('three thermostats written separately within 300 ms -> one /derogations call, answered before it is sent', async () => {
    const { client, accessories } = await accessoriesOf();
    const rooms = ['Reception', 'Office 1', 'Library'];
    const ids = rooms.map((room) => charId(accessories, T.thermostat, room, T.targetTemperature));
    const before = hsl.server.count('POST', '/partners/1/derogations');
    order.length = 0;
    for (const id of ids) {
      void client.setCharacteristics({ [id]: 22 }).then(() => order.push('answer'));
      await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor(() => hsl.server.count('POST', '/partners/1/derogations') > before, 5000);
    await new Promise((r) => setTimeout(r, 1500));
    // one batch: one call per part of the window (two when it crosses midnight in Europe/Paris)
    expect(hsl.server.count('POST', '/partners/1/derogations') - before).toBe(planWindow(Date.now(), 120, 'Europe/Paris').length);
    expect(order.slice(0, 3)).toEqual(['answer', 'answer', 'answer']);
    expect(order[3]).toBe('derogations');
    await client.close();
  });

  it('an execution the gateway FAILS: the target returns to the real position, the service faults, one log line', async () => {
    const { client, accessories } = await accessoriesOf();
    const url = overkiz.opts.devices.find((d) => d.label === 'Library shutter')!.deviceURL;
    overkiz.opts.broken = { [url]: 'NONEXEC_OTHER' };
    const target = charId(accessories, T.windowCovering, 'Library shutter', T.targetPosition);
    const current = charId(accessories, T.windowCovering, 'Library shutter', T.currentPosition);
    const real = (await read(client, current)).value;
    await client.setCharacteristics({ [target]: real === 0 ? 100 : 0 });
    await bridge.waitForLog(/Library shutter: the command failed \(NONEXEC_OTHER\); showing its real state again/, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await read(client, target)).value).toBe(real);
    // The fault characteristic joins the service when the first fault shows: read the database again.
    const again = await accessoriesOf();
    expect((await read(again.client, charId(again.accessories, T.windowCovering, 'Library shutter', T.statusFault))).value).toBe(1);
    await again.client.close();
    expect(bridge.output.match(/Library shutter: .*failed/g)).toHaveLength(1);
    await client.close();
  });
});
