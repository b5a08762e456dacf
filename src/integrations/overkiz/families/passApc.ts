import type { HeatingMode } from '../../../core/model';
import { cmd, type Family } from './common';
import { thermostat } from './heating';

/**
 * Atlantic PassAPC zones (heat pump zones): heating and/or cooling, each on or off, with its own target and range.
 * A target from Home is the active side's target with a derogation on; off turns both sides off.
 */
export const passApcZone: Family = {
  name: 'PassAPC zone',
  widgets: ['AtlanticPassAPCHeatingAndCoolingZone', 'AtlanticPassAPCHeatingZone'],
  capabilities(s, d, opts) {
    const heating = s.string('core:HeatingOnOffState') === 'on';
    const cooling = s.string('core:CoolingOnOffState') === 'on';
    const mode: HeatingMode = cooling ? 'cool' : heating ? 'heat' : 'off';
    const side = cooling ? 'Cooling' : 'Heating';
    const modes: HeatingMode[] = ['off'];
    if (s.can('setHeatingOnOffState')) modes.push('heat');
    if (s.can('setCoolingOnOffState') && s.string('core:ThermalConfigurationState') !== 'heating') modes.push('cool');
    return [
      thermostat(d, opts, {
        current: s.number('core:TemperatureState'),
        target: s.number(`core:${side}TargetTemperatureState`) ?? s.number('core:TargetTemperatureState'),
        mode,
        modes,
        min: s.number(`core:Minimum${side}TargetTemperatureState`),
        max: s.number(`core:Maximum${side}TargetTemperatureState`),
      }),
    ];
  },
  command(s, c) {
    const cooling = s.string('core:CoolingOnOffState') === 'on';
    if (c.type === 'setTargetTemperature') {
      const name = cooling ? 'setCoolingTargetTemperature' : 'setHeatingTargetTemperature';
      if (!s.can(name)) return [];
      return [cmd(name, c.temperature), ...(s.can('setDerogationOnOffState') ? [cmd('setDerogationOnOffState', 'on')] : [])];
    }
    if (c.type !== 'setMode') return [];
    const heat = c.mode === 'heat' || c.mode === 'auto';
    const out = [];
    if (s.can('setHeatingOnOffState')) out.push(cmd('setHeatingOnOffState', heat ? 'on' : 'off'));
    if (s.can('setCoolingOnOffState')) out.push(cmd('setCoolingOnOffState', c.mode === 'cool' ? 'on' : 'off'));
    return out;
  },
};

/** The PassAPC zone controller (the heat pump's central unit): a switch, on = running (its last mode), off = stop. */
export const passApcZoneControl: Family = {
  name: 'PassAPC zone control',
  widgets: ['AtlanticPassAPCZoneControl'],
  capabilities: (s, d) => [
    { kind: 'switch', id: 'running', name: d.label, on: (s.string('io:PassAPCOperatingModeState') ?? 'stop') !== 'stop' },
  ],
  command(s, c) {
    if (c.type !== 'setOn' || !s.can('setPassAPCOperatingMode')) return [];
    const last = s.string('io:LastPassAPCOperatingModeState');
    return [cmd('setPassAPCOperatingMode', c.on ? (last && last !== 'stop' ? last : 'heating') : 'stop')];
  },
};
