import type { HAP } from 'homebridge';
import type { DoorState } from '../core/model';
import type { Mapper } from './spec';

function doorState(hap: HAP, s: DoorState): number {
  const D = hap.Characteristic.CurrentDoorState;
  return { open: D.OPEN, closed: D.CLOSED, opening: D.OPENING, closing: D.CLOSING, stopped: D.STOPPED }[s];
}

export const garageDoorMapper: Mapper<'garageDoor'> = (hap) => {
  const C = hap.Characteristic;
  return [
    {
      type: hap.Service.GarageDoorOpener,
      chars: [
        { type: C.CurrentDoorState, get: (c) => doorState(hap, c.current) },
        {
          type: C.TargetDoorState,
          get: (c) => (c.target === 'open' ? C.TargetDoorState.OPEN : C.TargetDoorState.CLOSED),
          set: (v) => ({ type: 'setDoor', target: v === C.TargetDoorState.OPEN ? 'open' : 'closed' }),
        },
        { type: C.ObstructionDetected, get: (c) => Boolean(c.obstructed) },
      ],
    },
  ];
};
