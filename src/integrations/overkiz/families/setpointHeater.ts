import { cmd, type Family } from './common';
import { thermostat } from './heating';

/**
 * Atlantic/Thermor heaters and towel dryers with an adjustable setpoint: off/heat/auto are operating modes
 * (standby / basic / internal = the heater's own schedule), the target is setTargetTemperature.
 */
const OPERATING = { off: 'standby', heat: 'basic', auto: 'internal' } as const;

export const setpointHeater: Family = {
  name: 'setpoint heater / towel dryer',
  widgets: ['AtlanticElectricalHeaterWithAdjustableTemperatureSetpoint', 'AtlanticElectricalTowelDryer'],
  capabilities(s, d, opts) {
    const operating = s.string('core:OperatingModeState') ?? s.string('io:TowelDryerOperatingModeState');
    const mode =
      operating === 'standby' || operating === 'off' ? 'off' : operating === 'internal' || operating === 'auto' ? 'auto' : 'heat';
    const setMode = s.can('setOperatingMode') || s.can('setTowelDryerOperatingMode');
    return [
      thermostat(d, opts, {
        current: s.number('core:TemperatureState'),
        target: s.number('core:TargetTemperatureState'),
        mode,
        modes: setMode ? ['off', 'heat', 'auto'] : [],
        min: 7,
        max: s.number('core:MaximumTargetTemperatureState') ?? 28,
      }),
    ];
  },
  command(s, c) {
    if (c.type === 'setTargetTemperature' && s.can('setTargetTemperature')) return [cmd('setTargetTemperature', c.temperature)];
    if (c.type !== 'setMode' || c.mode === 'cool') return [];
    const name = s.can('setOperatingMode') ? 'setOperatingMode' : s.can('setTowelDryerOperatingMode') ? 'setTowelDryerOperatingMode' : '';
    return name ? [cmd(name, OPERATING[c.mode])] : [];
  },
};
