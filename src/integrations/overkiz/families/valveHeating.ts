import { cmd, type Family } from './common';
import { thermostat } from './heating';

/**
 * Somfy/io thermostatic radiator valves: a target is a derogation "until further notice"; back to the schedule
 * (auto) with exitDerogation. The range is the valve's own (min 5 °C on the real devices).
 */
export const valveHeating: Family = {
  name: 'thermostatic valve',
  widgets: ['ValveHeatingTemperatureInterface'],
  capabilities(s, d, opts) {
    const manual = s.string('core:OperatingModeState') === 'manual';
    const target = manual
      ? (s.number('core:DerogatedTargetTemperatureState') ?? s.number('core:TargetTemperatureState'))
      : s.number('core:TargetTemperatureState');
    return [
      thermostat(d, opts, {
        target,
        mode: manual ? 'heat' : 'auto',
        modes: [...(s.can('setDerogation') ? (['heat'] as const) : []), ...(s.can('exitDerogation') ? (['auto'] as const) : [])],
        min: s.number('core:MinSetpointState') ?? 5,
        max: s.number('core:MaxSetpointState') ?? 26,
      }),
    ];
  },
  command(s, c) {
    if (c.type === 'setTargetTemperature' && s.can('setDerogation')) return [cmd('setDerogation', c.temperature, 'further_notice')];
    if (c.type === 'setMode' && c.mode === 'auto' && s.can('exitDerogation')) return [cmd('exitDerogation')];
    return [];
  },
};
