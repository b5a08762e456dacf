import type { Capability, Command, HeaterCoolerCapability, HeatingMode } from '../../../core/model';
import type { OverkizCommand, OverkizDevice } from '../schemas';
import type { StateReader } from '../states';
import { cmd, type Family, type MapOptions } from './common';
import { declaredValues, thermostat } from './heating';

const on = (s: StateReader, side: 'Heating' | 'Cooling') => s.string(`core:${side}OnOffState`) === 'on';
/** A zone that can cool (thermal configuration not "heating" and the command declared): a heat pump zone. */
const cools = (s: StateReader) => s.can('setCoolingOnOffState') && s.string('core:ThermalConfigurationState') !== 'heating';

/** A heating-only zone: a thermostat with its heating target and range. */
function heatingZone(s: StateReader, d: OverkizDevice, opts: MapOptions) {
  const mode: HeatingMode = on(s, 'Heating') ? 'heat' : 'off';
  return thermostat(d, opts, {
    current: s.number('core:TemperatureState'),
    target: s.number('core:HeatingTargetTemperatureState') ?? s.number('core:TargetTemperatureState'),
    mode,
    modes: s.can('setHeatingOnOffState') ? ['off', 'heat'] : ['off'],
    min: s.number('core:MinimumHeatingTargetTemperatureState'),
    max: s.number('core:MaximumHeatingTargetTemperatureState'),
  });
}

/**
 * The side a zone works on: its zone controller's season (both sides are often on at once), else the side that is
 * on, else its thermal configuration.
 */
function coolingSide(s: StateReader, controllerMode: string | undefined): boolean {
  if (controllerMode === 'cooling' || controllerMode === 'drying') return true;
  if (controllerMode === 'heating') return false;
  if (on(s, 'Cooling') !== on(s, 'Heating')) return on(s, 'Cooling');
  return s.string('core:ThermalConfigurationState') === 'cooling';
}

/** A zone that heats and cools: a HeaterCooler with both targets and ranges; the profile "stop" is idle. */
function heatPumpZone(s: StateReader, d: OverkizDevice, opts: MapOptions): HeaterCoolerCapability {
  const cooling = coolingSide(s, opts.zoneControllerMode);
  const side = cooling ? 'Cooling' : 'Heating';
  const active = on(s, side) && opts.zoneControllerMode !== 'stop';
  const working = s.string(`io:PassAPC${side}ProfileState`) !== 'stop';
  const range = (sd: 'Heating' | 'Cooling', lo: number, hi: number) => {
    const min = s.number(`core:Minimum${sd}TargetTemperatureState`) ?? lo;
    return { min, max: Math.max(s.number(`core:Maximum${sd}TargetTemperatureState`) ?? hi, min + 1) };
  };
  const heatingTarget = s.number('core:HeatingTargetTemperatureState');
  const coolingTarget = s.number('core:CoolingTargetTemperatureState');
  return {
    kind: 'heaterCooler',
    id: 'heatpump',
    name: d.label,
    active,
    currentTemperature: opts.pairedTemperature ?? s.number('core:TemperatureState'),
    state: !active ? 'inactive' : !working ? 'idle' : cooling ? 'cooling' : 'heating',
    mode: cooling ? 'cool' : 'heat',
    modes: [...(s.can('setHeatingOnOffState') ? (['heat'] as const) : []), 'cool'],
    heatingTarget,
    coolingTarget,
    heatingRange: range('Heating', 7, 30),
    coolingRange: range('Cooling', 16, 32),
    step: 0.5,
    ...(heatingTarget === undefined || coolingTarget === undefined ? { fault: true } : {}),
  };
}

/** The side a write asks for or leaves running: cooling when asked or when the zone cools now. */
function sideCommands(s: StateReader, c: Command, opts: MapOptions): OverkizCommand[] {
  const both = (heat: boolean, cool: boolean) => [
    ...(s.can('setHeatingOnOffState') ? [cmd('setHeatingOnOffState', heat ? 'on' : 'off')] : []),
    ...(s.can('setCoolingOnOffState') ? [cmd('setCoolingOnOffState', cool ? 'on' : 'off')] : []),
  ];
  const derogation = s.can('setDerogationOnOffState') ? [cmd('setDerogationOnOffState', 'on')] : [];
  const target = (side: 'Heating' | 'Cooling', t: number) =>
    s.can(`set${side}TargetTemperature`) ? [cmd(`set${side}TargetTemperature`, t), ...derogation] : [];
  const cooling = coolingSide(s, opts.zoneControllerMode);
  switch (c.type) {
    case 'setOn':
      return c.on ? both(!cooling, cooling) : both(false, false);
    case 'setMode':
      return c.mode === 'off' ? both(false, false) : both(c.mode !== 'cool', c.mode === 'cool');
    case 'setTargetTemperature':
      return target(cooling ? 'Cooling' : 'Heating', c.temperature);
    case 'setHeatingThreshold':
      return target('Heating', c.temperature);
    case 'setCoolingThreshold':
      return target('Cooling', c.temperature);
    default:
      return [];
  }
}

/**
 * Atlantic PassAPC zones (heat pump zones). A zone that can cool is a HeaterCooler with its heating and cooling
 * targets and ranges; a heating-only zone a thermostat. The season (heating or cooling) is the zone controller's
 * (`zoneControllerMode`). A target from Home is that side's target with a derogation on; off turns both sides off;
 * heat/cool turns that side on and the other off.
 */
export const passApcZone: Family = {
  name: 'PassAPC zone',
  widgets: ['AtlanticPassAPCHeatingAndCoolingZone', 'AtlanticPassAPCHeatingZone'],
  capabilities: (s, d, opts) => [cools(s) ? heatPumpZone(s, d, opts) : heatingZone(s, d, opts)],
  command: (s, c, _d, opts) => sideCommands(s, c, opts),
};

/**
 * The PassAPC zone controller and heat pump main unit (no setpoint, no room of its own): a switch, on = running
 * (its last mode), off = stop; and where it can cool, a Cooling switch for the season (on = cooling, off = heating).
 */
export const passApcZoneControl: Family = {
  name: 'PassAPC zone control',
  widgets: ['AtlanticPassAPCZoneControl', 'AtlanticPassAPCHeatPump'],
  capabilities(s, d) {
    const mode = s.string('io:PassAPCOperatingModeState') ?? 'stop';
    const caps: Capability[] = [{ kind: 'switch', id: 'running', name: d.label, on: mode !== 'stop' }];
    if (s.can('setPassAPCOperatingMode') && declaredValues(d, 'io:PassAPCOperatingModeState').includes('cooling'))
      caps.push({ kind: 'switch', id: 'cooling', name: `${d.label} Cooling`, on: mode === 'cooling' });
    return caps;
  },
  command(s, c) {
    if (c.type !== 'setOn' || !s.can('setPassAPCOperatingMode')) return [];
    if (c.capabilityId === 'cooling') return [cmd('setPassAPCOperatingMode', c.on ? 'cooling' : 'heating')];
    const last = s.string('io:LastPassAPCOperatingModeState');
    return [cmd('setPassAPCOperatingMode', c.on ? (last && last !== 'stop' ? last : 'heating') : 'stop')];
  },
};
