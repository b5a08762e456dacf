import type { HAP } from 'homebridge';
import type { HeatingMode } from '../core/model';
import { clamp, type Mapper } from './spec';

function modeValues(hap: HAP): Record<HeatingMode, number> {
  const T = hap.Characteristic.TargetHeatingCoolingState;
  return { off: T.OFF, heat: T.HEAT, cool: T.COOL, auto: T.AUTO };
}

export const thermostatMapper: Mapper<'thermostat'> = (hap, cap) => {
  const C = hap.Characteristic;
  const modes = modeValues(hap);
  const modeOf = (v: unknown): HeatingMode => (Object.entries(modes).find(([, n]) => n === v)?.[0] as HeatingMode) ?? 'heat';
  const active = {
    off: C.CurrentHeatingCoolingState.OFF,
    heat: C.CurrentHeatingCoolingState.HEAT,
    cool: C.CurrentHeatingCoolingState.COOL,
  };
  const target = (n: number) => clamp(Math.round(n / cap.step) * cap.step, cap.minTarget, cap.maxTarget);
  return [
    {
      type: hap.Service.Thermostat,
      chars: [
        {
          type: C.CurrentTemperature,
          get: (c) => (c.currentTemperature === undefined ? undefined : clamp(c.currentTemperature, -270, 100)),
        },
        {
          type: C.TargetTemperature,
          props: (c) => ({ minValue: c.minTarget, maxValue: c.maxTarget, minStep: c.step }),
          get: (c) => target(c.targetTemperature),
          set: (v) => ({ type: 'setTargetTemperature', temperature: Number(v) }),
        },
        { type: C.CurrentHeatingCoolingState, get: (c) => active[c.active] },
        {
          type: C.TargetHeatingCoolingState,
          props: (c) => ({ validValues: c.modes.map((m) => modes[m]) }),
          get: (c) => modes[c.mode],
          set: (v) => ({ type: 'setMode', mode: modeOf(v) }),
        },
        { type: C.TemperatureDisplayUnits, get: () => C.TemperatureDisplayUnits.CELSIUS },
      ],
    },
  ];
};
