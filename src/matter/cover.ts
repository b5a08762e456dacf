import type { CoverCapability, GarageDoorCapability } from '../core/model';
import { clamp, numberArg, type PartSpec } from './spec';

/** Matter movement status: 0 stopped, 1 opening, 2 closing. */
const MOVING = { stopped: 0, increasing: 1, decreasing: 2 } as const;

/** Matter counts lift in hundredths of a percent CLOSED (0 = fully open); ours is percent open. */
export function liftOf(openPercent: number): number {
  return Math.round((100 - clamp(openPercent, 0, 100)) * 100);
}

export function openPercentOf(lift100ths: number): number {
  return Math.round(100 - clamp(lift100ths, 0, 10_000) / 100);
}

/** Tilt: our -90..90 degrees onto Matter's 0..10000 (0 = -90°, 10000 = 90°). */
export function tiltOf(degrees: number): number {
  return Math.round(((clamp(degrees, -90, 90) + 90) / 180) * 10_000);
}

export function degreesOf(tilt100ths: number): number {
  return Math.round((clamp(tilt100ths, 0, 10_000) / 10_000) * 180 - 90);
}

export function coverPart(c: CoverCapability): PartSpec<CoverCapability> {
  const status = MOVING[c.positionState];
  const tilts = c.tilt !== undefined;
  const windowCovering: Record<string, unknown> = {
    type: tilts ? 8 : 0,
    currentPositionLiftPercent100ths: liftOf(c.currentPosition),
    targetPositionLiftPercent100ths: liftOf(c.targetPosition),
    operationalStatus: { global: status, lift: status, tilt: 0 },
    configStatus: { operational: true, onlineReserved: true, liftPositionAware: true, tiltPositionAware: tilts },
  };
  if (c.tilt !== undefined) {
    windowCovering.currentPositionTiltPercent100ths = tiltOf(c.tilt);
    windowCovering.targetPositionTiltPercent100ths = tiltOf(c.tilt);
  }
  return {
    deviceType: 'WindowCovering',
    state: { windowCovering },
    handlers: {
      windowCovering: {
        upOrOpen: () => [{ type: 'setPosition', position: 100 }],
        downOrClose: () => [{ type: 'setPosition', position: 0 }],
        // A cover that cannot stop where it is gets its current position as target: the same outcome.
        stopMotion: (_args, cap) => (cap.canHold ? [{ type: 'hold' }] : [{ type: 'setPosition', position: cap.currentPosition }]),
        goToLiftPercentage: (args) => {
          const lift = numberArg(args, 'liftPercent100thsValue');
          return lift === undefined ? [] : [{ type: 'setPosition', position: openPercentOf(lift) }];
        },
        goToTiltPercentage: (args, cap) => {
          const tilt = numberArg(args, 'tiltPercent100thsValue');
          return tilt === undefined || cap.tilt === undefined ? [] : [{ type: 'setTilt', tilt: degreesOf(tilt) }];
        },
      },
    },
  };
}

/**
 * A garage door or gate as a lift-only window covering: Matter's Closure type would fit better, but Apple Home does
 * not show it yet. Any target below half-closed opens, anything else closes; there is no stop.
 */
export function garageDoorPart(c: GarageDoorCapability): PartSpec<GarageDoorCapability> {
  // Where the door is while it moves is not known: it counts as where it started from.
  const lift = { open: 0, closed: 10_000, opening: 10_000, closing: 0, stopped: 5_000 }[c.current];
  const status = c.current === 'opening' ? 1 : c.current === 'closing' ? 2 : 0;
  return {
    deviceType: 'WindowCovering',
    state: {
      windowCovering: {
        type: 0,
        currentPositionLiftPercent100ths: lift,
        targetPositionLiftPercent100ths: c.target === 'open' ? 0 : 10_000,
        operationalStatus: { global: status, lift: status, tilt: 0 },
        configStatus: { operational: true, onlineReserved: true, liftPositionAware: true, tiltPositionAware: false },
      },
    },
    handlers: {
      windowCovering: {
        upOrOpen: () => [{ type: 'setDoor', target: 'open' }],
        downOrClose: () => [{ type: 'setDoor', target: 'closed' }],
        stopMotion: () => [],
        goToLiftPercentage: (args) => {
          const lift = numberArg(args, 'liftPercent100thsValue');
          return lift === undefined ? [] : [{ type: 'setDoor', target: lift < 5_000 ? 'open' : 'closed' }];
        },
      },
    },
  };
}
