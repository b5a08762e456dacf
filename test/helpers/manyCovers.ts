import { demoOverkiz, type OverkizSimOptions } from '../../src/simulators/overkiz';

/** An Overkiz account of `n` roller shutters (copies of the demo's first one), for scale tests. */
export function overkizWithCovers(n: number, userId: string, password: string, gateway = '4321-8765-2109'): OverkizSimOptions {
  const demo = demoOverkiz(userId, password);
  const model = demo.devices.find((d) => d.uiClass === 'RollerShutter')!;
  const devices = Array.from({ length: n }, (_, i) => ({
    ...structuredClone(model),
    deviceURL: `io://${gateway}/${5000 + i}`,
    label: `Shutter ${String(i + 1).padStart(3, '0')}`,
  }));
  return { ...demo, devices, actionGroups: [] };
}
