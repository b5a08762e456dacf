import type { HAP } from 'homebridge';
import type { FanCapability, HeaterCoolerCapability } from '../core/model';
import type { CharSpec, Mapper } from './spec';

/** A speed slider in as many steps as the unit has speeds, written as setFanSpeed: fans and heat pumps. */
export function rotationSpeed<C extends FanCapability | HeaterCoolerCapability>(
  hap: HAP,
  keys: { speed: keyof C & ('speed' | 'fanSpeed'); steps: keyof C & ('speedSteps' | 'fanSteps') },
): CharSpec<C> {
  const num = (c: C, k: string) => (c as unknown as Record<string, number | undefined>)[k];
  return {
    type: hap.Characteristic.RotationSpeed,
    props: (c) => ({ minValue: 0, maxValue: 100, minStep: 100 / (num(c, keys.steps) ?? 100) }),
    get: (c) => num(c, keys.speed),
    set: (v) => ({ type: 'setFanSpeed', speed: Number(v) }),
  };
}

/** Fans and ventilation units as Fanv2: on/off, speed where known, auto/manual where the unit can run itself. */
export const fanMapper: Mapper<'fan'> = (hap, cap) => {
  const C = hap.Characteristic;
  const chars: Array<CharSpec<FanCapability>> = [
    { type: C.Active, get: (c) => (c.on ? C.Active.ACTIVE : C.Active.INACTIVE), set: (v) => ({ type: 'setOn', on: v === 1 }) },
  ];
  if (cap.speed !== undefined) chars.push(rotationSpeed<FanCapability>(hap, { speed: 'speed', steps: 'speedSteps' }));
  if (cap.auto !== undefined)
    chars.push({
      type: C.TargetFanState,
      get: (c) => (c.auto ? C.TargetFanState.AUTO : C.TargetFanState.MANUAL),
      set: (v) => ({ type: 'setFanAuto', auto: v === C.TargetFanState.AUTO }),
    });
  return [{ type: hap.Service.Fanv2, chars }];
};
