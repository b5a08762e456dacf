import type { ClimateMode, HeaterCoolerCapability } from '../core/model';
import { rotationSpeed } from './fan';
import { type CharSpec, clamp, type Mapper } from './spec';

type Cap = HeaterCoolerCapability;

/**
 * Heat pumps and air conditioners as HeaterCooler: Active apart from the mode, one threshold per side the unit has
 * (a single-setpoint unit shows its setpoint on both), fan speed and swing where the unit has them.
 */
export const heaterCoolerMapper: Mapper<'heaterCooler'> = (hap, cap) => {
  const C = hap.Characteristic;
  const T = C.TargetHeaterCoolerState;
  const modes: Record<ClimateMode, number> = { auto: T.AUTO, heat: T.HEAT, cool: T.COOL };
  const modeOf = (v: unknown): ClimateMode => (Object.entries(modes).find(([, n]) => n === v)?.[0] as ClimateMode) ?? 'auto';
  const S = C.CurrentHeaterCoolerState;
  const states = { inactive: S.INACTIVE, idle: S.IDLE, heating: S.HEATING, cooling: S.COOLING };
  const round = (n: number, r: { min: number; max: number }) => clamp(Math.round(n / cap.step) * cap.step, r.min, r.max);
  const chars: Array<CharSpec<Cap>> = [
    { type: C.Active, get: (c) => (c.active ? C.Active.ACTIVE : C.Active.INACTIVE), set: (v) => ({ type: 'setOn', on: v === 1 }) },
    { type: C.CurrentHeaterCoolerState, get: (c) => states[c.state] },
    {
      type: T,
      // the current mode is always a valid value (a zone cooling while Home may only pick heat)
      props: (c) => ({ validValues: [...new Set([...c.modes, c.mode])].map((m) => modes[m]) }),
      get: (c) => modes[c.mode],
      set: (v) => ({ type: 'setMode', mode: modeOf(v) }),
    },
    {
      type: C.CurrentTemperature,
      get: (c) => (c.currentTemperature === undefined ? undefined : clamp(c.currentTemperature, -270, 100)),
    },
    { type: C.TemperatureDisplayUnits, get: () => C.TemperatureDisplayUnits.CELSIUS },
  ];
  // One threshold per side the unit has.
  const sides = [
    { target: 'heatingTarget', range: 'heatingRange', type: C.HeatingThresholdTemperature, command: 'setHeatingThreshold' },
    { target: 'coolingTarget', range: 'coolingRange', type: C.CoolingThresholdTemperature, command: 'setCoolingThreshold' },
  ] as const;
  for (const side of sides)
    if (cap[side.target] !== undefined)
      chars.push({
        type: side.type,
        props: (c) => ({ minValue: c[side.range].min, maxValue: c[side.range].max, minStep: c.step }),
        get: (c) => {
          const t = c[side.target];
          return t === undefined ? undefined : round(t, c[side.range]);
        },
        set: (v) => ({ type: side.command, temperature: Number(v) }),
      });
  if (cap.fanSpeed !== undefined) chars.push(rotationSpeed<Cap>(hap, { speed: 'fanSpeed', steps: 'fanSteps' }));
  if (cap.swing !== undefined)
    chars.push({
      type: C.SwingMode,
      get: (c) => (c.swing ? C.SwingMode.SWING_ENABLED : C.SwingMode.SWING_DISABLED),
      set: (v) => ({ type: 'setSwing', on: v === 1 }),
    });
  return [{ type: hap.Service.HeaterCooler, chars }];
};
