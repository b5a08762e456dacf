import { cmd, type Family } from './common';
import { declaredValues, levelOf, levelSwitches, number, thermostat } from './heating';

/**
 * Any other HeatingSystem: a thermostat from the usual setpoint states, written with setTargetTemperature where
 * declared; off/heat with setHeatingLevel or off/on where declared. Levels as switches when asked.
 */
export const genericHeating: Family = {
  name: 'heating (generic)',
  uiClasses: ['HeatingSystem'],
  capabilities(s, d, opts) {
    const level = s.string('io:TargetHeatingLevelState') ?? s.string('core:TargetHeatingLevelState');
    const off = s.string('core:OnOffState') === 'off' || level === 'off';
    const canSwitch = (s.can('off') && s.can('on')) || s.can('setHeatingLevel');
    const caps = [
      thermostat(d, opts, {
        current: s.number('core:TemperatureState'),
        target: number(s, 'core:TargetTemperatureState', 'core:ComfortRoomTemperatureState', 'io:EffectiveTemperatureSetpointState'),
        mode: off ? 'off' : 'heat',
        modes: canSwitch ? ['off', 'heat'] : [],
        min: s.number('core:MinSetpointState'),
        max: s.number('core:MaxSetpointState'),
      }),
    ];
    if (opts.heatingLevelSwitches && s.can('setHeatingLevel'))
      return [...caps, ...levelSwitches(d, declaredValues(d, 'core:TargetHeatingLevelState'), level)];
    return caps;
  },
  command(s, c, d) {
    if (c.type === 'setTargetTemperature') return s.can('setTargetTemperature') ? [cmd('setTargetTemperature', c.temperature)] : [];
    if (c.type === 'setMode') {
      if (s.can('setHeatingLevel')) return [cmd('setHeatingLevel', c.mode === 'off' ? 'off' : 'comfort')];
      if (s.can('off') && s.can('on')) return [cmd(c.mode === 'off' ? 'off' : 'on')];
    }
    const level = c.type === 'setOn' ? levelOf(c.capabilityId) : undefined;
    if (level && c.type === 'setOn' && s.can('setHeatingLevel') && declaredValues(d, 'core:TargetHeatingLevelState').includes(level))
      return [cmd('setHeatingLevel', level)];
    return [];
  },
};
