import type { Capability } from '../../../core/model';
import { cmd, type Family } from './common';
import { declaredValues, levelOf, levelSwitches } from './heating';

/**
 * Pilot-wire heaters (AtlanticElectricalHeater) have levels, no setpoint: a switch (on = any level but off and
 * frost protection; on asks for comfort), plus one switch per declared level when `heatingLevelSwitches` is set.
 */
export const pilotWireHeater: Family = {
  name: 'pilot-wire heater',
  widgets: ['AtlanticElectricalHeater'],
  capabilities(s, d, opts) {
    const level = s.string('io:TargetHeatingLevelState') ?? s.string('core:TargetHeatingLevelState');
    const on = level !== undefined && level !== 'off' && level !== 'frostprotection';
    const caps: Capability[] = [{ kind: 'switch', id: 'heating', name: d.label, on }];
    if (opts.heatingLevelSwitches && s.can('setHeatingLevel'))
      caps.push(...levelSwitches(d, declaredValues(d, 'core:TargetHeatingLevelState'), level));
    return caps;
  },
  command(s, c, d) {
    if (c.type !== 'setOn' || !s.can('setHeatingLevel')) return [];
    if (c.capabilityId === 'heating')
      return [c.on ? cmd('setHeatingLevel', 'comfort') : s.can('off') ? cmd('off') : cmd('setHeatingLevel', 'off')];
    const level = levelOf(c.capabilityId);
    if (!level || !declaredValues(d, 'core:TargetHeatingLevelState').includes(level)) return [];
    // Switching the current level off asks for it again (nothing changes): the switch shows the real level again.
    const current = new Set([s.string('io:TargetHeatingLevelState'), s.string('core:TargetHeatingLevelState')]);
    if (!c.on && !current.has(level)) return [];
    return [cmd('setHeatingLevel', level)];
  },
};
