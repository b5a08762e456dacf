import type { FanCapability } from '../core/model';
import { clamp, numberArg, type PartCommand, type PartSpec } from './spec';

/** FanMode: 0 off, 1 low, 2 medium, 3 high, 4 on. */
const MODE = { off: 0, low: 1, medium: 2, high: 3, on: 4 } as const;

function modeOf(c: FanCapability): number {
  if (!c.on) return MODE.off;
  if (c.speed === undefined) return MODE.on;
  return c.speed <= 33 ? MODE.low : c.speed <= 66 ? MODE.medium : MODE.high;
}

/**
 * A fan or ventilation unit: off and the three speeds of Matter's fan modes, and a percentage (0 switches it off).
 * Homebridge's fan has no Auto mode (matter.js refuses it without that feature): a unit in auto shows its speed,
 * and a speed picked over Matter leaves auto. Homebridge calls these handlers for the values we push too: a value
 * equal to ours is no write.
 */
export function fanPart(c: FanCapability): PartSpec<FanCapability> {
  const speed = c.on ? (c.speed ?? 100) : 0;
  return {
    deviceType: 'Fan',
    state: {
      fanControl: {
        // 0 = Off/Low/Med/High
        fanModeSequence: 0,
        fanMode: modeOf(c),
        percentSetting: speed,
        percentCurrent: speed,
      },
    },
    handlers: {
      fanControl: {
        fanModeChange: (args, cap) => {
          const mode = numberArg(args, 'fanMode');
          if (mode === undefined || mode === modeOf(cap)) return [];
          if (mode === MODE.off) return [{ type: 'setOn', on: false }];
          const wanted = mode === MODE.low ? 33 : mode === MODE.medium ? 66 : 100;
          return [...(cap.auto ? [{ type: 'setFanAuto', auto: false } as PartCommand] : []), { type: 'setFanSpeed', speed: wanted }];
        },
        percentSettingChange: (args, cap) => {
          const pct = numberArg(args, 'percentSetting');
          if (pct === undefined || pct === (cap.on ? (cap.speed ?? 100) : 0)) return [];
          return pct === 0 ? [{ type: 'setOn', on: false }] : [{ type: 'setFanSpeed', speed: clamp(Math.round(pct), 1, 100) }];
        },
      },
    },
  };
}
