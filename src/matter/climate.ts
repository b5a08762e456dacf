import type { ClimateMode, HeaterCoolerCapability, HeatingMode, ThermostatCapability } from '../core/model';
import { centi, numberArg, type PartCommand, type PartSpec } from './spec';

/** Matter SystemMode values. */
const SYSTEM = { off: 0, auto: 1, cool: 3, heat: 4 } as const;
/** ControlSequenceOfOperation: 0 cooling only, 2 heating only, 4 cooling and heating. */
const SEQUENCE = { cool: 0, heat: 2, both: 4 } as const;

const modeOf = (system: number | undefined): HeatingMode | undefined =>
  system === SYSTEM.off
    ? 'off'
    : system === SYSTEM.auto
      ? 'auto'
      : system === SYSTEM.cool
        ? 'cool'
        : system === SYSTEM.heat
          ? 'heat'
          : undefined;

/** The mode a controller asks, or undefined for a value we do not know or the one we show (our own echo). */
function askedMode(args: Record<string, unknown>, shownNow: number): HeatingMode | undefined {
  const system = numberArg(args, 'systemMode');
  return system === shownNow ? undefined : modeOf(system);
}

/** A setpoint written by a controller, in °C, or undefined when it is the value we show already (our own echo). */
function newSetpoint(args: Record<string, unknown>, key: string, now: number | undefined): number | undefined {
  const v = numberArg(args, key);
  if (v === undefined) return undefined;
  return now !== undefined && Math.round(now * 100) === v ? undefined : v / 100;
}

/**
 * A heater or a single-setpoint thermostat. Matter has no schedule mode on a thermostat: the schedule ("auto") shows
 * as Heat (Cool on one that only cools), with the setpoint the schedule holds now. Its one target is shown on each
 * side it has (heating, cooling), with no dead band between them; a write to either sets it.
 */
export function thermostatPart(c: ThermostatCapability): PartSpec<ThermostatCapability> {
  const cools = c.modes.includes('cool');
  const heats = c.modes.includes('heat') || c.modes.includes('auto') || !cools;
  const shown = (mode: HeatingMode): number => (mode === 'off' ? SYSTEM.off : mode === 'cool' || !heats ? SYSTEM.cool : SYSTEM.heat);
  const thermostat: Record<string, unknown> = {
    localTemperature: centi(c.currentTemperature),
    systemMode: shown(c.mode),
    controlSequenceOfOperation: heats && cools ? SEQUENCE.both : cools ? SEQUENCE.cool : SEQUENCE.heat,
  };
  for (const [on, side, limit] of [
    [heats, 'Heating', 'Heat'],
    [cools, 'Cooling', 'Cool'],
  ] as const) {
    if (!on) continue;
    thermostat[`occupied${side}Setpoint`] = centi(c.targetTemperature);
    for (const bound of ['min', 'absMin'] as const) thermostat[`${bound}${limit}SetpointLimit`] = centi(c.minTarget);
    for (const bound of ['max', 'absMax'] as const) thermostat[`${bound}${limit}SetpointLimit`] = centi(c.maxTarget);
  }
  if (heats && cools) thermostat.minSetpointDeadBand = 0;
  const setpoint =
    (key: string) =>
    (args: Record<string, unknown>, cap: ThermostatCapability): PartCommand[] => {
      const t = newSetpoint(args, key, cap.targetTemperature);
      return t === undefined ? [] : [{ type: 'setTargetTemperature', temperature: t }];
    };
  return {
    deviceType: 'Thermostat',
    state: { thermostat },
    handlers: {
      thermostat: {
        systemModeChange: (args, cap) => {
          const mode = askedMode(args, shown(cap.mode));
          if (!mode) return [];
          // Heat on a thermostat whose heating is its schedule: back to the schedule.
          const wanted = mode === 'heat' && !cap.modes.includes('heat') ? 'auto' : mode;
          return cap.modes.includes(wanted) ? [{ type: 'setMode', mode: wanted }] : [];
        },
        occupiedHeatingSetpointChange: setpoint('occupiedHeatingSetpoint'),
        occupiedCoolingSetpointChange: setpoint('occupiedCoolingSetpoint'),
      },
    },
  };
}

/** A heat pump: off apart from its mode, a setpoint per side it has. Fan speed and swing stay HAP-only. */
export function heaterCoolerPart(c: HeaterCoolerCapability): PartSpec<HeaterCoolerCapability> {
  const heats = c.heatingTarget !== undefined;
  const cools = c.coolingTarget !== undefined;
  const shown = (cap: HeaterCoolerCapability) => (cap.active ? SYSTEM[cap.mode] : SYSTEM.off);
  const thermostat: Record<string, unknown> = {
    localTemperature: centi(c.currentTemperature),
    systemMode: shown(c),
    controlSequenceOfOperation: heats && cools ? SEQUENCE.both : cools ? SEQUENCE.cool : SEQUENCE.heat,
  };
  if (heats) {
    Object.assign(thermostat, {
      occupiedHeatingSetpoint: centi(c.heatingTarget),
      minHeatSetpointLimit: centi(c.heatingRange.min),
      maxHeatSetpointLimit: centi(c.heatingRange.max),
      absMinHeatSetpointLimit: centi(c.heatingRange.min),
      absMaxHeatSetpointLimit: centi(c.heatingRange.max),
    });
  }
  if (cools) {
    Object.assign(thermostat, {
      occupiedCoolingSetpoint: centi(c.coolingTarget),
      minCoolSetpointLimit: centi(c.coolingRange.min),
      maxCoolSetpointLimit: centi(c.coolingRange.max),
      absMinCoolSetpointLimit: centi(c.coolingRange.min),
      absMaxCoolSetpointLimit: centi(c.coolingRange.max),
    });
  }
  // A unit with one setpoint reports it on both sides: no dead band between them.
  if (heats && cools) thermostat.minSetpointDeadBand = 0;
  return {
    deviceType: 'Thermostat',
    state: { thermostat },
    handlers: {
      thermostat: {
        systemModeChange: (args, cap) => {
          const mode = askedMode(args, shown(cap));
          if (!mode) return [];
          if (mode === 'off') return [{ type: 'setOn', on: false }];
          if (!cap.modes.includes(mode as ClimateMode)) return [];
          return [...(cap.active ? [] : [{ type: 'setOn', on: true } as PartCommand]), { type: 'setMode', mode }];
        },
        occupiedHeatingSetpointChange: (args, cap) => {
          const t = newSetpoint(args, 'occupiedHeatingSetpoint', cap.heatingTarget);
          return t === undefined ? [] : [{ type: 'setHeatingThreshold', temperature: t }];
        },
        occupiedCoolingSetpointChange: (args, cap) => {
          const t = newSetpoint(args, 'occupiedCoolingSetpoint', cap.coolingTarget);
          return t === undefined ? [] : [{ type: 'setCoolingThreshold', temperature: t }];
        },
      },
    },
  };
}
