import type { HeatingMode } from '../../../core/model';
import type { StateReader } from '../states';
import { cmd, type Family } from './common';
import { thermostat } from './heating';

const MODE_OF: Record<string, HeatingMode> = { heating: 'heat', cooling: 'cool', auto: 'auto', autoCooling: 'auto', autoHeating: 'auto' };
const COMMAND_MODE: Record<Exclude<HeatingMode, 'off'>, string> = { heat: 'heating', cool: 'cooling', auto: 'auto' };

/**
 * Hitachi air-to-air heat pumps (Hi Kumo, hlrrwifi): every change is one `globalControl` carrying all six settings
 * (power, setpoint, fan speed, mode, swing, leave-home), the untouched ones as the unit reports them; "autoCooling"
 * and "autoHeating" are reported but only "auto" is accepted back. Fan speed and swing are kept as they are.
 */
function globalControl(s: StateReader, change: { power?: 'on' | 'off'; target?: number; mode?: string }) {
  const reported = s.string('hlrrwifi:ModeChangeState') ?? 'auto';
  const mode = change.mode ?? (reported.startsWith('auto') ? 'auto' : reported.toLowerCase());
  return cmd(
    'globalControl',
    change.power ?? s.string('hlrrwifi:MainOperationState') ?? 'on',
    Math.round(change.target ?? s.number('core:TargetTemperatureState') ?? 22),
    s.string('hlrrwifi:FanSpeedState') ?? 'auto',
    mode,
    s.string('hlrrwifi:SwingState') ?? 'stop',
    s.string('hlrrwifi:LeaveHomeState') ?? 'off',
  );
}

export const hitachiHeatPump: Family = {
  name: 'Hitachi heat pump',
  widgets: ['HitachiAirToAirHeatPump'],
  capabilities(s, d, opts) {
    const on = s.string('hlrrwifi:MainOperationState') === 'on';
    // Fan-only, dehumidify and circulator modes have no HomeKit word: shown as auto.
    const mode: HeatingMode = on ? (MODE_OF[s.string('hlrrwifi:ModeChangeState') ?? ''] ?? 'auto') : 'off';
    return [
      thermostat(d, opts, {
        current: s.number('hlrrwifi:RoomTemperatureState'),
        target: s.number('core:TargetTemperatureState'),
        mode,
        modes: s.can('globalControl') ? ['off', 'heat', 'cool', 'auto'] : [],
        min: 16,
        max: 32,
        step: 1,
      }),
    ];
  },
  command(s, c) {
    if (!s.can('globalControl')) return [];
    if (c.type === 'setTargetTemperature') return [globalControl(s, { target: c.temperature })];
    if (c.type !== 'setMode') return [];
    return [c.mode === 'off' ? globalControl(s, { power: 'off' }) : globalControl(s, { power: 'on', mode: COMMAND_MODE[c.mode] })];
  },
};
