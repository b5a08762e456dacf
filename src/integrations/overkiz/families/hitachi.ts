import type { ClimateMode, Command } from '../../../core/model';
import type { OverkizDevice } from '../schemas';
import type { StateReader } from '../states';
import { cmd, type Family } from './common';
import { declaredValues } from './heating';

const MODE_OF: Record<string, ClimateMode> = { heating: 'heat', cooling: 'cool', auto: 'auto', autoCooling: 'auto', autoHeating: 'auto' };
const COMMAND_MODE: Record<ClimateMode, string> = { heat: 'heating', cool: 'cooling', auto: 'auto' };
const STATE_OF = { heating: 'heating', autoHeating: 'heating', cooling: 'cooling', autoCooling: 'cooling' } as const;
/**
 * Fan speeds from the slowest up; Home's fan slider has one step per speed and "auto" (the unit's own choice) at
 * the top, so that no reported speed is lost: 20 % silent, 40 % low, 60 % medium, 80 % high, 100 % auto.
 */
const SPEEDS = ['silent', 'low', 'medium', 'high', 'auto'] as const;

interface Change {
  power?: 'on' | 'off';
  target?: number;
  fan?: string;
  mode?: string;
  swing?: string;
}

/** One HomeKit write -> what it changes among the unit's six settings. */
function changeOf(s: StateReader, d: OverkizDevice, c: Command): Change {
  switch (c.type) {
    case 'setOn':
      return { power: c.on ? 'on' : 'off' };
    case 'setMode':
      return c.mode === 'off' ? { power: 'off' } : { power: 'on', mode: COMMAND_MODE[c.mode] };
    case 'setTargetTemperature':
    case 'setHeatingThreshold':
    case 'setCoolingThreshold':
      return { target: c.temperature };
    case 'setFanSpeed': {
      if (c.speed <= 0) return { power: 'off' };
      const speeds = speedsOf(d);
      return { fan: speeds[Math.min(speeds.length - 1, Math.max(0, Math.ceil((c.speed / 100) * speeds.length) - 1))] };
    }
    case 'setSwing': {
      const reported = s.string('hlrrwifi:SwingState') ?? 'stop';
      return { swing: c.on ? (reported === 'stop' ? 'both' : reported) : 'stop' };
    }
    default:
      return {};
  }
}

const speedsOf = (d: OverkizDevice) => SPEEDS.filter((v) => declaredValues(d, 'hlrrwifi:FanSpeedState').includes(v));

/**
 * Hitachi air-to-air heat pumps (Hi Kumo, hlrrwifi): every change is one `globalControl` carrying all six settings
 * (power, setpoint, fan speed, mode, swing, leave-home), the untouched ones as the unit reports them; "autoCooling"
 * and "autoHeating" are reported but only "auto" is accepted back. Several writes at once (a scene) are one command.
 */
function globalControl(s: StateReader, change: Change) {
  const reported = s.string('hlrrwifi:ModeChangeState') ?? 'auto';
  const mode = change.mode ?? (reported.startsWith('auto') ? 'auto' : reported.toLowerCase());
  return cmd(
    'globalControl',
    change.power ?? s.string('hlrrwifi:MainOperationState') ?? 'on',
    Math.round(change.target ?? s.number('core:TargetTemperatureState') ?? 22),
    change.fan ?? s.string('hlrrwifi:FanSpeedState') ?? 'auto',
    mode,
    change.swing ?? s.string('hlrrwifi:SwingState') ?? 'stop',
    s.string('hlrrwifi:LeaveHomeState') ?? 'off',
  );
}

export const hitachiHeatPump: Family = {
  name: 'Hitachi heat pump',
  widgets: ['HitachiAirToAirHeatPump'],
  capabilities(s, d, opts) {
    const active = s.string('hlrrwifi:MainOperationState') === 'on';
    const reported = s.string('hlrrwifi:ModeChangeState') ?? '';
    // Fan-only, dehumidify and circulator modes have no HomeKit word: shown as auto, idle.
    const mode = MODE_OF[reported] ?? 'auto';
    const target = s.number('core:TargetTemperatureState');
    const speeds = speedsOf(d);
    const speed = speeds.indexOf(s.string('hlrrwifi:FanSpeedState') as (typeof SPEEDS)[number]);
    const swing = s.string('hlrrwifi:SwingState');
    const range = { min: 16, max: 32 };
    return [
      {
        kind: 'heaterCooler',
        id: 'heatpump',
        name: d.label,
        active,
        currentTemperature: opts.pairedTemperature ?? s.number('hlrrwifi:RoomTemperatureState'),
        state: active ? (STATE_OF[reported as keyof typeof STATE_OF] ?? 'idle') : 'inactive',
        mode,
        modes: s.can('globalControl') ? ['auto', 'heat', 'cool'] : [mode],
        heatingTarget: target,
        coolingTarget: target,
        heatingRange: range,
        coolingRange: range,
        step: 1,
        ...(speed >= 0 ? { fanSpeed: Math.round(((speed + 1) / speeds.length) * 100), fanSteps: speeds.length } : {}),
        ...(swing !== undefined ? { swing: swing !== 'stop' } : {}),
        ...(target === undefined ? { fault: true } : {}),
      },
    ];
  },
  command: (s, c, d) => hitachiHeatPump.action?.(s, [c], d, {}) ?? [],
  action(s, cmds, d) {
    if (!s.can('globalControl')) return [];
    const change = cmds.reduce<Change>((all, c) => ({ ...all, ...changeOf(s, d, c) }), {});
    return Object.keys(change).length > 0 ? [globalControl(s, change)] : [];
  },
};
