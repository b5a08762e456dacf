import type { Mapper } from './spec';

export const lockMapper: Mapper<'lock'> = (hap) => {
  const C = hap.Characteristic;
  const current = {
    secured: C.LockCurrentState.SECURED,
    unsecured: C.LockCurrentState.UNSECURED,
    jammed: C.LockCurrentState.JAMMED,
    unknown: C.LockCurrentState.UNKNOWN,
  };
  return [
    {
      type: hap.Service.LockMechanism,
      chars: [
        { type: C.LockCurrentState, get: (c) => current[c.current] },
        {
          type: C.LockTargetState,
          get: (c) => (c.target === 'secured' ? C.LockTargetState.SECURED : C.LockTargetState.UNSECURED),
          set: (v) => ({ type: 'setLock', target: v === C.LockTargetState.SECURED ? 'secured' : 'unsecured' }),
        },
      ],
    },
  ];
};
