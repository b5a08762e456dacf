import { HttpClient } from 'hap-controller';
import { demoCovers, OverkizSimulator } from '../../src/simulators/overkiz';
import { Bridge, freePort, killAll, PIN, type HapAccessory } from './harness';
import { killControllers, MatterController } from './matter';

jest.setTimeout(240_000);

const COVERS = [134, 133, 133];
const mac = (i: number) => `0E:77:00:00:00:${String(i + 10).padStart(2, '0')}`;

/** Scale: 400 devices over three child bridges (each under HAP's 149), and 400 over Matter on one bridge. */
describe('400 devices through a real Homebridge', () => {
  const sims: OverkizSimulator[] = [];
  let bridge: Bridge | undefined;
  let controller: MatterController | undefined;

  const account = (sim: OverkizSimulator, label: string, extra: Record<string, unknown> = {}) => ({
    label,
    server: 'custom',
    baseUrl: sim.url,
    username: 'me@example.org',
    password: 'scale-pass-1',
    ...extra,
  });

  beforeAll(async () => {
    for (const [i, n] of COVERS.entries()) {
      const sim = new OverkizSimulator(demoCovers(n, 'me@example.org', 'scale-pass-1', `4321-8765-21${i}0`));
      await sim.start();
      sims.push(sim);
    }
  });

  afterEach(async () => {
    await controller?.dispose();
    controller = undefined;
    await bridge?.dispose();
    bridge = undefined;
  });

  afterAll(async () => {
    for (const sim of sims) await sim.stop();
    killControllers();
    killAll();
  });

  it('three accounts, each on a child bridge of its own: every bridge under 149, all 400 published, a restart keeps them', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const platforms = sims.map((sim, i) => ({
      platform: 'BuildingHub',
      name: `Building ${i + 1}`,
      _bridge: { username: mac(i), port: ports[i], name: `Building ${i + 1}` },
      overkiz: [account(sim, `Building ${i + 1}`)],
    }));
    bridge = await Bridge.create({ platforms });
    await bridge.start();
    await bridge.waitForLog(/Shutter 133: added[\s\S]*Shutter 133: added[\s\S]*Shutter 133: added/, 90_000);

    const publishedUuids = async () => {
      const uuids: string[][] = [];
      for (const [i, port] of ports.entries()) {
        const client = new HttpClient(mac(i), '127.0.0.1', port, undefined, { usePersistentConnections: true });
        try {
          if (!pairings[i]) {
            await client.pairSetup(PIN);
            pairings[i] = client.getLongTermData()!;
          }
          const paired = pairings[i] ? new HttpClient(mac(i), '127.0.0.1', port, pairings[i], { usePersistentConnections: true }) : client;
          const { accessories } = (await paired.getAccessories()) as { accessories: HapAccessory[] };
          await paired.close();
          // aid 1 is the bridge itself; every other accessory is one cover
          uuids.push(accessories.filter((a) => a.aid !== 1).map((a) => String(a.aid)));
        } finally {
          await client.close().catch(() => undefined);
        }
      }
      return uuids;
    };
    const pairings: Array<ReturnType<HttpClient['getLongTermData']>> = [];
    await waitUntil(async () => (await publishedUuids()).flat().length === 400, 60_000);
    const before = await publishedUuids();
    expect(before.map((b) => b.length)).toEqual(COVERS);
    for (const b of before) expect(b.length).toBeLessThan(149);
    expect(bridge.output).not.toMatch(/HomeKit's limit/);
    // Each child bridge holds one account: the warning at 130 says how to split it, not to move it to a child bridge.
    expect(bridge.output).toMatch(/overkiz:Building 1 \(130\) is the only account here/);

    await bridge.stop();
    await bridge.start();
    await waitUntil(async () => (await publishedUuids()).flat().length === 400, 60_000);
    // The same accessories (same aids: Homebridge keeps them by UUID) on each bridge after the restart.
    expect(await publishedUuids()).toEqual(before);
  });

  it('400 devices over Matter on one bridge: a Matter controller sees all 400', async () => {
    const accounts = sims.map((sim, i) => account(sim, `Building ${i + 1}`, { expose: 'matter' }));
    bridge = await Bridge.create({ matterPort: await freePort(), platforms: [{ platform: 'BuildingHub', overkiz: accounts }] });
    await bridge.start();
    await bridge.waitForLog(/(Shutter 133: added over Matter[\s\S]*){3}/, 90_000);
    controller = await MatterController.start();
    await controller.commission(bridge);
    const covers = async () => (await controller!.endpoints()).filter((e) => e.clusters.includes('windowCovering'));
    await waitUntil(async () => (await covers()).length === 400, 60_000);
    expect(new Set((await covers()).map((e) => e.label)).size).toBe(134);
    expect(bridge.output).not.toMatch(/not published over Matter|Failed to register Matter accessory/);
  });
});

async function waitUntil(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < ms) {
    try {
      if (await cond()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out${last ? `: ${String(last)}` : ''}`);
}
