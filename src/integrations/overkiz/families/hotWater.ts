import type { Capability } from '../../../core/model';
import { cmd, type Family } from './common';
import { thermostat } from './heating';

/** Atlantic modes of a hot-water tank shown as switches where the device declares them: relaunch = boost. */
const EXTRA_MODES = [
  ['relaunch', 'boost', 'Boost'],
  ['absence', 'away', 'Away'],
] as const;

/**
 * Domestic hot water: a thermostat with the tank's setpoint (setTargetTemperature), plus Boost and Away switches
 * where `io:OperatingModeCapabilitiesState` offers them (setCurrentOperatingMode with both flags).
 */
export const hotWater: Family = {
  name: 'domestic hot water',
  uiClasses: ['WaterHeatingSystem'],
  capabilities(s, d, opts) {
    const modes = s.object('core:OperatingModeState');
    const offered = s.object('io:OperatingModeCapabilitiesState');
    const caps: Capability[] = [
      thermostat(d, opts, {
        current: s.number('core:TemperatureState') ?? s.number('io:MiddleWaterTemperatureState'),
        target: s.number('core:TargetTemperatureState'),
        mode: 'heat',
        modes: [],
        min: s.number('core:MinimalTemperatureManualModeState') ?? 40,
        max: s.number('core:MaximalTemperatureManualModeState') ?? 65,
        step: 1,
      }),
    ];
    if (modes && s.can('setCurrentOperatingMode'))
      for (const [flag, id, name] of EXTRA_MODES)
        if (offered?.[flag] === 1 || offered?.[flag] === true)
          caps.push({ kind: 'switch', id, name: `${d.label} ${name}`, on: modes[flag] === 'on' });
    return caps;
  },
  command(s, c) {
    if (c.type === 'setTargetTemperature')
      return s.can('setTargetTemperature') ? [cmd('setTargetTemperature', Math.round(c.temperature))] : [];
    if (c.type !== 'setOn' || !s.can('setCurrentOperatingMode')) return [];
    const flag = EXTRA_MODES.find(([, id]) => id === c.capabilityId)?.[0];
    if (!flag) return [];
    const modes = s.object('core:OperatingModeState') ?? {};
    const next: Record<string, string> = { relaunch: String(modes.relaunch ?? 'off'), absence: String(modes.absence ?? 'off') };
    next[flag] = c.on ? 'on' : 'off';
    return [cmd('setCurrentOperatingMode', next)];
  },
};
