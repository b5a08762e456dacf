import type { SecurityArm } from '../core/model';
import type { Mapper } from './spec';

export const securityMapper: Mapper<'securitySystem'> = (hap) => {
  const C = hap.Characteristic;
  const target: Record<SecurityArm, number> = {
    stay: C.SecuritySystemTargetState.STAY_ARM,
    away: C.SecuritySystemTargetState.AWAY_ARM,
    night: C.SecuritySystemTargetState.NIGHT_ARM,
    disarmed: C.SecuritySystemTargetState.DISARM,
  };
  const current: Record<SecurityArm | 'triggered', number> = {
    stay: C.SecuritySystemCurrentState.STAY_ARM,
    away: C.SecuritySystemCurrentState.AWAY_ARM,
    night: C.SecuritySystemCurrentState.NIGHT_ARM,
    disarmed: C.SecuritySystemCurrentState.DISARMED,
    triggered: C.SecuritySystemCurrentState.ALARM_TRIGGERED,
  };
  const armOf = (v: unknown): SecurityArm => (Object.entries(target).find(([, n]) => n === v)?.[0] as SecurityArm) ?? 'away';
  return [
    {
      type: hap.Service.SecuritySystem,
      chars: [
        { type: C.SecuritySystemCurrentState, get: (c) => current[c.current] },
        {
          type: C.SecuritySystemTargetState,
          props: (c) => ({ validValues: c.targets.map((t) => target[t]) }),
          get: (c) => target[c.target],
          set: (v) => ({ type: 'setSecurity', target: armOf(v) }),
        },
      ],
    },
  ];
};
