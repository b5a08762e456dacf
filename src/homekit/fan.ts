import type { FanCapability } from '../core/model';
import type { CharSpec, Mapper } from './spec';

/** Fans and ventilation units as Fanv2: on/off, speed where known, auto/manual where the unit can run itself. */
export const fanMapper: Mapper<'fan'> = (hap, cap) => {
  const C = hap.Characteristic;
  const chars: Array<CharSpec<FanCapability>> = [
    { type: C.Active, get: (c) => (c.on ? C.Active.ACTIVE : C.Active.INACTIVE), set: (v) => ({ type: 'setOn', on: v === 1 }) },
  ];
  if (cap.speed !== undefined)
    chars.push({
      type: C.RotationSpeed,
      props: (c) => ({ minValue: 0, maxValue: 100, minStep: 100 / (c.speedSteps ?? 100) }),
      get: (c) => c.speed,
      set: (v) => ({ type: 'setFanSpeed', speed: Number(v) }),
    });
  if (cap.auto !== undefined)
    chars.push({
      type: C.TargetFanState,
      get: (c) => (c.auto ? C.TargetFanState.AUTO : C.TargetFanState.MANUAL),
      set: (v) => ({ type: 'setFanAuto', auto: v === C.TargetFanState.AUTO }),
    });
  return [{ type: hap.Service.Fanv2, chars }];
};
