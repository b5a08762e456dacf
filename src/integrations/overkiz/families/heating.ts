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
export const LEVELS = ['comfort', 'comfort-1', 'comfort-2', 'eco', 'frostprotection', 'boost', 'away'] as const;
const LEVEL_NAMES: Record<string, string> = {
  comfort: 'Comfort',
  'comfort-1': 'Comfort -1',
  'comfort-2': 'Comfort -2',
  eco: 'Eco',
  frostprotection: 'Frost protection',
  boost: 'Boost',
  away: 'Away',
};
export const LEVEL_PREFIX = 'level:';

/**
 * One switch per level the device declares (opt-in): on = that level is the current one; switching one on asks for
 * it, switching the current one off changes nothing (the switch shows the real level again).
 */
export function levelSwitches(d: OverkizDevice, declared: readonly string[], current: string | undefined): Capability[] {
  return LEVELS.filter((l) => declared.includes(l)).map((l): SwitchCapability => ({
    kind: 'switch',
    id: `${LEVEL_PREFIX}${l}`,
    name: `${d.label} ${LEVEL_NAMES[l]}`,
    on: current === l,
  }));
}

/** The values a state may take, as the device's definition lists them. */
export function declaredValues(d: OverkizDevice, state: string): string[] {
  return d.definition.states.find((s) => s.qualifiedName === state)?.values ?? [];
}

export function levelOf(capabilityId: string): string | undefined {
  return capabilityId.startsWith(LEVEL_PREFIX) ? capabilityId.slice(LEVEL_PREFIX.length) : undefined;
}

export const number = (s: StateReader, ...names: string[]): number | undefined => {
  for (const n of names) {
    const v = s.number(n);
    if (v !== undefined) return v;
  }
  return undefined;
};
