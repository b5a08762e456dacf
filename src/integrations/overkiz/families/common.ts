import { clamp as clampValue } from '../../../core/numbers';
import type { Capability, Command, SecurityArm } from '../../../core/model';
import type { OverkizCommand, OverkizDevice } from '../schemas';
import type { StateReader } from '../states';

export interface MapOptions {
  /** Last commanded position of covers without position feedback (RTS), by deviceURL. */
  assumedPositions?: ReadonlyMap<string, number>;
  /** Room temperature read by the sensor that belongs to a heater (its sub-device, see pairedSensor). */
  pairedTemperature?: number;
  /** Positions asked from Home whose execution still runs, by deviceURL (shown as the target meanwhile). */
  commandedTargets?: ReadonlyMap<string, number>;
  /** Offer the "my" favourite position as a switch. */
  myPositionSwitch?: boolean;
  /** One switch per heating level the device declares (comfort, eco, frost protection…). */
  heatingLevelSwitches?: boolean;
  /** False: Home may arm alarms but not disarm them. */
  alarmDisarmFromHome?: boolean;
  /** Covers that declare it move with setClosureAndLinearSpeed(position, "lowspeed") (quieter). */
  lowSpeedShutters?: boolean;
  /** Sirens are shown (as switches that ring) only when asked. */
  exposeSirens?: boolean;
  /** TSK alarm mode for each HomeKit arm state (default away = total, stay = partial1, night = partial2). */
  tskModes?: { away: string; stay: string; night: string };
  /** PassAPC zones: the operating mode of their zone controller (heating, cooling, drying, stop), which picks the side. */
  zoneControllerMode?: string;
  /** Last state asked from Home of alarms that report none, by deviceURL. */
  assumedAlarms?: ReadonlyMap<string, SecurityArm>;
}

/**
 * One device family: which devices it takes (by widget first, uiClass second: a widget names one kind of device,
 * a uiClass a whole category), what they become, and which commands go back. Commands are chosen from what the
 * device's `definition.commands` declares (StateReader.can), never guessed.
 */
export interface Family {
  name: string;
  widgets?: readonly string[];
  uiClasses?: readonly string[];
  capabilities(s: StateReader, d: OverkizDevice, opts: MapOptions): Capability[];
  command?(s: StateReader, cmd: Command, d: OverkizDevice, opts: MapOptions): OverkizCommand[];
  /** Several writes of one device as one action, for devices that take all their settings in one command. */
  action?(s: StateReader, cmds: readonly Command[], d: OverkizDevice, opts: MapOptions): OverkizCommand[];
}

export const cmd = (name: string, ...parameters: unknown[]): OverkizCommand => ({ name, parameters });

/** Overkiz positions and levels are whole numbers. */
export const clampInt = (n: number, lo: number, hi: number) => clampValue(Math.round(n), lo, hi);

/** uiClass and widget, from the device or (local API) from its definition only. */
export function kindOf(d: OverkizDevice): { uiClass: string; widget: string } {
  return { uiClass: d.uiClass ?? d.definition.uiClass ?? '', widget: d.widget ?? d.definition.widgetName ?? '' };
}
