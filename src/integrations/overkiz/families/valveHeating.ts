import type { Capability } from '../../../core/model';
import { cmd, type Family } from './common';
import { declaredValues, levelSwitches, levelValue, thermostat } from './heating';

const LEVEL_STATE = 'io:DerogationHeatingModeState';
const VALUES = { comfort: 'comfort', eco: 'eco', away: 'awayMode', frostprotection: 'frostprotection' } as const;

/**
 * Somfy/io thermostatic radiator valves: a target is a derogation "until further notice"; back to the schedule
 * (auto) with exitDerogation. The range is the valve's own (min 5 °C on the real devices). With
 * `heatingLevelSwitches`, one switch per declared mode (comfort, eco, away, frost protection): on = a derogation to
 * that mode until further notice, off (of the current one) = back to the schedule.
 */
export const valveHeating: Family = {
  name: 'thermostatic valve',
  widgets: ['ValveHeatingTemperatureInterface'],
  capabilities(s, d, opts) {
    const manual = s.string('core:OperatingModeState') === 'manual';
    const target = manual
      ? (s.number('core:DerogatedTargetTemperatureState') ?? s.number('core:TargetTemperatureState'))
      : s.number('core:TargetTemperatureState');
    const caps: Capability[] = [
      thermostat(d, opts, {
        target,
        mode: manual ? 'heat' : 'auto',
        modes: [...(s.can('setDerogation') ? (['heat'] as const) : []), ...(s.can('exitDerogation') ? (['auto'] as const) : [])],
        min: s.number('core:MinSetpointState') ?? 5,
        max: s.number('core:MaxSetpointState') ?? 26,
      }),
    ];
    if (opts.heatingLevelSwitches && s.can('setDerogation'))
      caps.push(...levelSwitches(d, declaredValues(d, LEVEL_STATE), s.string('io:CurrentHeatingModeState'), VALUES));
    return caps;
  },
  command(s, c, d) {
    if (c.type === 'setTargetTemperature' && s.can('setDerogation')) return [cmd('setDerogation', c.temperature, 'further_notice')];
    if (c.type === 'setMode' && c.mode === 'auto' && s.can('exitDerogation')) return [cmd('exitDerogation')];
    if (c.type !== 'setOn' || !s.can('setDerogation')) return [];
    const value = levelValue(c.capabilityId, declaredValues(d, LEVEL_STATE), VALUES);
    if (!value) return [];
    if (c.on) return [cmd('setDerogation', value, 'further_notice')];
    return s.string('io:CurrentHeatingModeState') === value && s.can('exitDerogation') ? [cmd('exitDerogation')] : [];
  },
};
