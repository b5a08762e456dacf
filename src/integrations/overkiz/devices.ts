import { RejectedError } from '../../core/errors';
import type { BatteryCapability, Capability, Command, Device } from '../../core/model';
import { clampInt, cmd } from './families/common';
import { orientationOf } from './families/covers';
import { colour } from './families/lights';
import { familyFor, kindOf, type MapOptions } from './families';
import type { OverkizCommand, OverkizDevice } from './schemas';
import { hasMalformedState, StateReader } from './states';

export type { MapOptions } from './families';

/**
 * Battery from its level or state, and low also from the defect states: `core:SensorDefectState` "lowBattery" and
 * io's maintenance states of the radio or sensor part.
 */
function battery(s: StateReader, d: OverkizDevice): BatteryCapability | undefined {
  const level = s.number('core:BatteryLevelState');
  const state = s.string('core:BatteryState') ?? s.string('internal:BatteryStatusState');
  const maintenance = [s.string('io:MaintenanceRadioPartBatteryState'), s.string('io:MaintenanceSensorPartBatteryState')];
  const defect = s.string('core:SensorDefectState');
  if (level === undefined && state === undefined && defect === undefined && maintenance.every((m) => m === undefined)) return undefined;
  const low =
    (level !== undefined ? level < 20 : state === 'low' || state === 'verylow') ||
    defect === 'lowBattery' ||
    maintenance.some((m) => m === 'low' || m === 'verylow');
  return {
    kind: 'battery',
    id: 'battery',
    name: `${d.label} battery`,
    ...(level !== undefined ? { level: clampInt(level, 0, 100) } : {}),
    low,
  };
}

/** A sensor that says it is dead or needs maintenance, or a device in defect, shows StatusFault on its services. */
function defective(s: StateReader): boolean {
  const defect = s.string('core:SensorDefectState');
  return defect === 'dead' || defect === 'maintenanceRequired' || s.string('core:DeviceDefectState') === 'failed';
}

/**
 * What the Home app shows as the model: the widget in words with its radio protocol ("Positionable roller shutter
 * (io)", "Dimmer hue sat or CT light (hue)") rather than the raw class name.
 */
export function modelName(widget: string, deviceURL: string): string {
  const protocol = /^([a-z0-9]+):\/\//.exec(deviceURL)?.[1];
  const words = widget
    .replace(/^(io|rts|zigbee|ovp|hue|zwave|modbus):/i, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .map((w, i) => (i === 0 || /^[A-Z0-9]{2,}$/.test(w) ? w : w.toLowerCase()))
    .join(' ');
  return protocol ? `${words || 'Device'} (${protocol})` : words || 'Device';
}

/** An Overkiz device -> the normalised Device, or undefined when no family takes it (logged by the caller). */
export function mapOverkizDevice(d: OverkizDevice, opts: MapOptions = {}): Device | undefined {
  const family = familyFor(d);
  if (!family) return undefined;
  const s = new StateReader(d);
  let caps: Capability[] = family.capabilities(s, d, opts);
  if (caps.length === 0) return undefined;
  if (defective(s) || hasMalformedState(d)) caps = caps.map((c) => (c.kind === 'button' ? c : { ...c, fault: true }));
  const bat = battery(s, d);
  if (bat) caps.push(bat);
  const attribute = (name: string) => d.attributes.find((a) => a.name === name)?.value;
  const { widget } = kindOf(d);
  return {
    id: d.deviceURL,
    name: d.label || d.deviceURL,
    manufacturer: String(attribute('core:Manufacturer') ?? s.string('core:ManufacturerNameState') ?? 'Overkiz'),
    model: modelName(widget || d.controllableName, d.deviceURL),
    serial: d.deviceURL.replace(/^[a-z]+:\/\//, ''),
    firmware: typeof attribute('core:FirmwareRevision') === 'string' ? (attribute('core:FirmwareRevision') as string) : undefined,
    available: d.available && d.enabled,
    capabilities: caps,
  };
}

/** A HomeKit command -> the Overkiz commands for one /exec/apply action; a RejectedError when the device cannot do it. */
export function overkizCommands(d: OverkizDevice, command: Command, opts: MapOptions = {}): OverkizCommand[] {
  const out = familyFor(d)?.command?.(new StateReader(d), command, d, opts) ?? [];
  if (out.length === 0)
    throw new RejectedError(`${d.label}: ${command.type} is not supported by this device (${kindOf(d).widget || d.controllableName})`);
  return d.deviceURL.startsWith('rts://') ? out.map(withRtsDuration) : out;
}

/** RTS commands take a last "duration" parameter; the default (30 s) blocks the next command, so send 0 as HA does. */
const RTS_NO_DURATION = new Set(['identify', 'on', 'off', 'onWithTimer', 'test']);
function withRtsDuration(c: OverkizCommand): OverkizCommand {
  return RTS_NO_DURATION.has(c.name) ? c : { ...c, parameters: [...c.parameters, 0] };
}

/**
 * The merged writes of one device -> the commands of its one action, in the order they were asked. Position and
 * tilt go out as one `setClosureAndOrientation` where the device declares it (they would otherwise run one
 * after the other).
 */
export function overkizActionCommands(d: OverkizDevice, commands: readonly Command[], opts: MapOptions = {}): OverkizCommand[] {
  return lastOfEachName(actionCommands(d, commands, opts));
}

/** A command asked twice in one action (heating on, then off by a mode change) is sent once, as last asked. */
function lastOfEachName(commands: OverkizCommand[]): OverkizCommand[] {
  return commands.filter((c, i) => !commands.slice(i + 1).some((later) => later.name === c.name));
}

function actionCommands(d: OverkizDevice, commands: readonly Command[], opts: MapOptions): OverkizCommand[] {
  const family = familyFor(d);
  if (family?.action) {
    const out = family.action(new StateReader(d), commands, d, opts);
    if (out.length === 0) throw new RejectedError(`${d.label}: these settings are not supported by this device (${kindOf(d).widget})`);
    return out;
  }
  const position = commands.find((c) => c.type === 'setPosition');
  const tilt = commands.find((c) => c.type === 'setTilt');
  const s = new StateReader(d);
  const hue = commands.find((c) => c.type === 'setHue');
  const saturation = commands.find((c) => c.type === 'setSaturation');
  if (hue && saturation && s.can('setHueAndSaturation')) {
    const rest = commands.filter((c) => c !== hue && c !== saturation).flatMap((c) => overkizCommands(d, c, opts));
    return [colour(s, [hue, saturation]), ...rest];
  }
  if (position && tilt && s.can('setClosureAndOrientation') && !s.has('core:DeploymentState')) {
    const both = cmd('setClosureAndOrientation', 100 - clampInt(position.position, 0, 100), orientationOf(tilt.tilt));
    const rest = commands.filter((c) => c !== position && c !== tilt).flatMap((c) => overkizCommands(d, c, opts));
    return [both, ...rest];
  }
  return commands.flatMap((c) => overkizCommands(d, c, opts));
}
