import { cmd, type Family } from './common';
import { thermostat } from './heating';

/**
 * Somfy thermostat: the target is the derogation while one is active, else the mode's setpoint. A target is a
 * derogation until further notice; auto = back to the schedule (exitDerogation); off = frost protection mode.
 */
export const somfyThermostat: Family = {
  name: 'Somfy thermostat',
  widgets: ['SomfyThermostat'],
  capabilities(s, d, opts) {
    const derogation = s.string('core:DerogationActivationState') === 'active';
    const heatingMode = derogation ? s.string('somfythermostat:DerogationHeatingModeState') : s.string('somfythermostat:HeatingModeState');
    const off = heatingMode === 'freezeMode';
    const target = derogation ? s.number('core:DerogatedTargetTemperatureState') : s.number('core:TargetTemperatureState');
    return [
      thermostat(d, opts, {
        target: target ?? s.number('core:TargetTemperatureState'),
        mode: off ? 'off' : derogation ? 'heat' : 'auto',
        modes: s.can('setDerogation') ? ['off', 'heat', ...(s.can('exitDerogation') ? (['auto'] as const) : [])] : [],
        min: 5,
        max: 26,
      }),
    ];
  },
  command(s, c) {
    if (c.type === 'setTargetTemperature' && s.can('setDerogation')) return [cmd('setDerogation', c.temperature, 'further_notice')];
    if (c.type !== 'setMode') return [];
    if (c.mode === 'auto' && s.can('exitDerogation')) return [cmd('exitDerogation')];
    if (c.mode === 'off' && s.can('setDerogation')) return [cmd('setDerogation', 'freezeMode', 'further_notice')];
    if (c.mode === 'heat' && s.can('setDerogation')) {
      const t = s.number('core:DerogatedTargetTemperatureState') ?? s.number('core:TargetTemperatureState') ?? 19;
      return [cmd('setDerogation', t, 'further_notice')];
    }
    return [];
  },
};
