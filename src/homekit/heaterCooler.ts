import type { ClimateMode, HeaterCoolerCapability } from '../core/model';
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
  if (cap.heatingTarget !== undefined)
    chars.push({
      type: C.HeatingThresholdTemperature,
      props: (c) => ({ minValue: c.heatingRange.min, maxValue: c.heatingRange.max, minStep: c.step }),
      get: (c) => (c.heatingTarget === undefined ? undefined : round(c.heatingTarget, c.heatingRange)),
      set: (v) => ({ type: 'setHeatingThreshold', temperature: Number(v) }),
    });
  if (cap.coolingTarget !== undefined)
    chars.push({
      type: C.CoolingThresholdTemperature,
      props: (c) => ({ minValue: c.coolingRange.min, maxValue: c.coolingRange.max, minStep: c.step }),
      get: (c) => (c.coolingTarget === undefined ? undefined : round(c.coolingTarget, c.coolingRange)),
      set: (v) => ({ type: 'setCoolingThreshold', temperature: Number(v) }),
    });
  if (cap.fanSpeed !== undefined)
    chars.push({
      type: C.RotationSpeed,
      props: (c) => ({ minValue: 0, maxValue: 100, minStep: 100 / (c.fanSteps ?? 100) }),
      get: (c) => c.fanSpeed,
      set: (v) => ({ type: 'setFanSpeed', speed: Number(v) }),
    });
  if (cap.swing !== undefined)
    chars.push({
      type: C.SwingMode,
      get: (c) => (c.swing ? C.SwingMode.SWING_ENABLED : C.SwingMode.SWING_DISABLED),
      set: (v) => ({ type: 'setSwing', on: v === 1 }),
    });
  return [{ type: hap.Service.HeaterCooler, chars }];
};
