import type { Capability, Command } from '../core/model';

/** The Homebridge device types we use (keys of `api.matter.deviceTypes`). */
export type MatterDeviceTypeName =
  | 'OnOffLight'
  | 'DimmableLight'
  | 'ColorTemperatureLight'
  | 'ExtendedColorLight'
  | 'OnOffSwitch'
  | 'OnOffOutlet'
  | 'WindowCovering'
  | 'Thermostat'
  | 'Fan'
  | 'DoorLock'
  | 'TemperatureSensor'
  | 'HumiditySensor'
  | 'LightSensor'
  | 'ContactSensor'
  | 'LeakSensor'
  | 'MotionSensor'
  | 'SmokeSensor'
  | 'AirQualitySensor';

/** Attribute values per cluster name, e.g. `{ onOff: { onOff: true } }`. */
export type ClusterStates = Record<string, Record<string, unknown>>;

/** A command from Matter, without the capability id (the binder adds it). */
export type PartCommand = Command extends infer C ? (C extends Command ? Omit<C, 'capabilityId'> : never) : never;

/**
 * What a Matter controller asks: each handler gets the command's (or the written attribute's) arguments and returns
 * the commands to send, in order. An empty list means "nothing to do" (also the echo of a value we pushed ourselves:
 * Homebridge calls attribute handlers for our own updates too, so a value equal to the device's is never sent).
 */
export type PartHandler<C extends Capability> = (args: Record<string, unknown>, cap: C) => PartCommand[];

export interface PartSpec<C extends Capability> {
  deviceType: MatterDeviceTypeName;
  /** The cluster attributes that show the capability now (also the initial state at registration). */
  state: ClusterStates;
  /** Cluster name -> command or attribute-change name -> handler. */
  handlers?: Record<string, Record<string, PartHandler<C>>>;
}

/** Reads a number argument, or undefined when the controller sent something else. */
export function numberArg(args: Record<string, unknown>, key: string): number | undefined {
  const v = args[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

/** Matter temperatures are hundredths of °C. */
export function centi(celsius: number | undefined): number | null {
  return celsius === undefined || !Number.isFinite(celsius) ? null : Math.round(celsius * 100);
}
