import type { Capability, HeatingMode, SwitchCapability, ThermostatCapability } from '../../../core/model';
import type { OverkizDevice } from '../schemas';
import type { StateReader } from '../states';
import type { MapOptions } from './common';

/** Shared by the heating families: a thermostat built from what each family reads. */
export function thermostat(
  d: OverkizDevice,
  opts: MapOptions,
  t: {
    current?: number;
    target: number | undefined;
    mode: HeatingMode;
    modes: HeatingMode[];
    min?: number;
    max?: number;
    step?: number;
  },
): ThermostatCapability {
  const min = t.min ?? 7;
  const max = t.max ?? 30;
  return {
    kind: 'thermostat',
    id: 'thermostat',
    name: d.label,
    currentTemperature: opts.pairedTemperature ?? t.current,
    // No target read yet: the middle of the device's range, flagged as a fault rather than an invented setpoint.
    targetTemperature: t.target ?? Math.round((min + max) / 2),
    mode: t.mode,
    active: t.mode === 'off' ? 'off' : t.mode === 'cool' ? 'cool' : 'heat',
    minTarget: min,
    maxTarget: Math.max(max, min + 1),
    step: t.step ?? 0.5,
    modes: t.modes.includes(t.mode) ? t.modes : [...t.modes, t.mode],
    ...(t.target === undefined ? { fault: true } : {}),
  };
}

/** Heating levels HomeKit has no word for, in the order they are offered as switches. */
export const LEVELS = ['comfort', 'comfort-1', 'comfort-2', 'eco', 'sleep', 'frostprotection', 'boost', 'away'] as const;
export type Level = (typeof LEVELS)[number];
const LEVEL_NAMES: Record<Level, string> = {
  comfort: 'Comfort',
  'comfort-1': 'Comfort -1',
  'comfort-2': 'Comfort -2',
  eco: 'Eco',
  sleep: 'Sleep',
  frostprotection: 'Frost protection',
  boost: 'Boost',
  away: 'Away',
};
export const LEVEL_PREFIX = 'level:';

/**
 * One switch per level the device declares (opt-in): on = that level is the current one. `values` names each level
 * as the device spells it (pilot wire: the level itself; valves "awayMode"; Somfy thermostats "atHomeMode"...).
 */
export function levelSwitches(
  d: OverkizDevice,
  declared: readonly string[],
  current: string | undefined,
  values: Partial<Record<Level, string>> = {},
): Capability[] {
  const valueOf = (l: Level) => values[l] ?? l;
  return LEVELS.filter((l) => declared.includes(valueOf(l))).map((l): SwitchCapability => ({
    kind: 'switch',
    id: `${LEVEL_PREFIX}${l}`,
    name: `${d.label} ${LEVEL_NAMES[l]}`,
    on: current !== undefined && current === valueOf(l),
  }));
}

/** The values a state may take, as the device's definition lists them. */
export function declaredValues(d: OverkizDevice, state: string): string[] {
  return d.definition.states.find((s) => s.qualifiedName === state)?.values ?? [];
}

export function levelOf(capabilityId: string): string | undefined {
  return capabilityId.startsWith(LEVEL_PREFIX) ? capabilityId.slice(LEVEL_PREFIX.length) : undefined;
}

/** The device's own value for the level a switch stands for, when the device declares it. */
export function levelValue(capabilityId: string, declared: readonly string[], values: Partial<Record<Level, string>>) {
  const level = LEVELS.find((l) => l === levelOf(capabilityId));
  const value = level && (values[level] ?? level);
  return value && declared.includes(value) ? value : undefined;
}

export const number = (s: StateReader, ...names: string[]): number | undefined => {
  for (const n of names) {
    const v = s.number(n);
    if (v !== undefined) return v;
  }
  return undefined;
};
