import type { HAP } from 'homebridge';
import type { PositionState } from '../core/model';
import { clamp, type Mapper } from './spec';

function positionState(hap: HAP, s: PositionState): number {
  const P = hap.Characteristic.PositionState;
  return s === 'increasing' ? P.INCREASING : s === 'decreasing' ? P.DECREASING : P.STOPPED;
}

export const coverMapper: Mapper<'cover'> = (hap, cap) => {
  const C = hap.Characteristic;
  const pct = (n: number) => clamp(Math.round(n), 0, 100);
  const deg = (n: number) => clamp(Math.round(n), -90, 90);
  return [
    {
      type: hap.Service.WindowCovering,
      chars: [
        { type: C.CurrentPosition, get: (c) => pct(c.currentPosition) },
        { type: C.TargetPosition, get: (c) => pct(c.targetPosition), set: (v) => ({ type: 'setPosition', position: pct(Number(v)) }) },
        { type: C.PositionState, get: (c) => positionState(hap, c.positionState) },
        ...(cap.canHold ? [{ type: C.HoldPosition, set: () => ({ type: 'hold' as const }) }] : []),
        ...(cap.tilt === undefined
          ? []
          : [
              { type: C.CurrentHorizontalTiltAngle, get: (c: typeof cap) => (c.tilt === undefined ? undefined : deg(c.tilt)) },
              {
                type: C.TargetHorizontalTiltAngle,
                get: (c: typeof cap) => (c.tilt === undefined ? undefined : deg(c.tilt)),
                set: (v: unknown) => ({ type: 'setTilt' as const, tilt: deg(Number(v)) }),
              },
            ]),
      ],
    },
  ];
};
