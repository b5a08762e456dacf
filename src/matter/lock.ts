import type { LockCapability } from '../core/model';
import type { PartSpec } from './spec';

/** LockState: 0 not fully locked (jammed), 1 locked, 2 unlocked; null = unknown. */
const LOCK_STATE = { jammed: 0, secured: 1, unsecured: 2, unknown: null } as const;

export function lockPart(c: LockCapability): PartSpec<LockCapability> {
  return {
    deviceType: 'DoorLock',
    // lockType 0 = dead bolt; the actuator is always enabled (the vendor refuses what it cannot do)
    state: { doorLock: { lockState: LOCK_STATE[c.current], lockType: 0, actuatorEnabled: true } },
    handlers: {
      doorLock: {
        lockDoor: () => [{ type: 'setLock', target: 'secured' }],
        unlockDoor: () => [{ type: 'setLock', target: 'unsecured' }],
      },
    },
  };
}
