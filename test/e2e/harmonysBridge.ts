import { demoHarmonys, HarmonysSimulator } from '../../src/simulators/harmonys';
import { selfSigned } from '../helpers/tls';
import { Bridge, killAll } from './harness';

export const HARMONYS_KEY = 'e2e-harmonys-key-0123456789';

/**
 * A TLS Harmonys simulator (pinned certificate) and a real Homebridge with one listed button ("PPMS Intrusion") and
 * two alert kinds, polled every 5 s. `stop()` ends both, even after a failed test.
 */
export async function startHarmonysBridge(): Promise<{ sim: HarmonysSimulator; bridge: Bridge; stop(): Promise<void> }> {
  const tls = selfSigned();
  const sim = new HarmonysSimulator({ ...demoHarmonys(HARMONYS_KEY), tls });
  await sim.start();
  const button = (name: string) => sim.opts.buttons.find((b) => b.name === name)!.uuid;
  const bridge = await Bridge.create({
    platforms: [
      {
        platform: 'BuildingHub',
        name: 'Building Hub',
        harmonys: [
          {
            label: 'Schools',
            baseUrl: sim.url,
            apiKey: HARMONYS_KEY,
            certificateFingerprint: tls.fingerprint,
            pollIntervalSeconds: 5,
            buttons: [{ buttonUuid: button('Intrusion'), name: 'PPMS Intrusion' }],
            alertKinds: [
              { name: 'Intrusion', buttonUuids: [button('Intrusion')] },
              { name: 'Confinement', buttonUuids: [button('Confinement')] },
            ],
          },
        ],
      },
    ],
  });
  const stop = async () => {
    await bridge.dispose();
    await sim.stop();
    killAll();
  };
  try {
    await bridge.start();
    await bridge.waitForLog(/PPMS Intrusion: added/);
  } catch (err) {
    await stop();
    throw err;
  }
  return { sim, bridge, stop };
}
