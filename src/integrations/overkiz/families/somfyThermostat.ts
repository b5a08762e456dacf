import type { Capability } from '../../../core/model';
import type { StateReader } from '../states';
import { cmd, type Family } from './common';
import { declaredValues, levelSwitches, levelValue, thermostat } from './heating';

const LEVEL_STATE = 'somfythermostat:DerogationHeatingModeState';
const VALUES = { comfort: 'atHomeMode', sleep: 'sleepingMode', away: 'awayMode', frostprotection: 'freezeMode' } as const;

/** The mode in force: the derogation's while one is active, else the schedule's. */
function heatingMode(s: StateReader): string | undefined {
  const derogation = s.string('core:DerogationActivationState') === 'active';
  return derogation ? s.string(LEVEL_STATE) : s.string('somfythermostat:HeatingModeState');
}

/**
 * Somfy thermostat: the target is the derogation while one is active, else the mode's setpoint. A target is a
 * derogation until further notice; auto = back to the schedule (exitDerogation); off = frost protection mode.
 * With `heatingLevelSwitches`, one switch per declared mode (at home = Comfort, sleeping, away, freeze = Frost
 * protection): on = a derogation to that mode until further notice, off (of the current one) = back to the schedule.
 */
export const somfyThermostat: Family = {
  name: 'Somfy thermostat',
  widgets: ['SomfyThermostat'],
  capabilities(s, d, opts) {
    const derogation = s.string('core:DerogationActivationState') === 'active';
    const mode = heatingMode(s);
    const off = mode === 'freezeMode';
    const target = derogation ? s.number('core:DerogatedTargetTemperatureState') : s.number('core:TargetTemperatureState');
    const caps: Capability[] = [
      thermostat(d, opts, {
        target: target ?? s.number('core:TargetTemperatureState'),
        mode: off ? 'off' : derogation ? 'heat' : 'auto',
        modes: s.can('setDerogation') ? ['off', 'heat', ...(s.can('exitDerogation') ? (['auto'] as const) : [])] : [],
        min: 5,
        max: 26,
      }),
    ];
    if (opts.heatingLevelSwitches && s.can('setDerogation')) caps.push(...levelSwitches(d, declaredValues(d, LEVEL_STATE), mode, VALUES));
    return caps;
  },
  command(s, c, d) {
    if (c.type === 'setTargetTemperature' && s.can('setDerogation')) return [cmd('setDerogation', c.temperature, 'further_notice')];
    if (c.type === 'setOn' && s.can('setDerogation')) {
      const value = levelValue(c.capabilityId, declaredValues(d, LEVEL_STATE), VALUES);
      if (value && c.on) return [cmd('setDerogation', value, 'further_notice')];
      return value && heatingMode(s) === value && s.can('exitDerogation') ? [cmd('exitDerogation')] : [];
    }
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
