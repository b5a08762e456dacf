import { RejectedError } from '../../core/errors';
import { clamp as clampValue } from '../../core/numbers';
import type { BatteryCapability, Capability, Command, Device, DoorState, PositionState, SensorType } from '../../core/model';
import type { OverkizCommand, OverkizDevice } from './schemas';
import { StateReader } from './states';

const COVERS = [
  'RollerShutter',
  'Shutter',
  'ExteriorScreen',
  'Screen',
  'Awning',
  'Pergola',
  'Curtain',
  'Window',
  'VenetianBlind',
  'ExteriorVenetianBlind',
  'SwingingShutter',
];
const DEPLOYMENT_COVERS = ['Awning'];

export interface MapOptions {
  /** Last commanded position of covers without position feedback (RTS), by deviceURL. */
  assumedPositions?: ReadonlyMap<string, number>;
  /** Temperature of the sensor paired with a heater (Atlantic: same base URL, another subsystem). */
  pairedTemperature?: number;
  /** Positions asked from Home whose execution still runs, by deviceURL (shown as the target meanwhile). */
  commandedTargets?: ReadonlyMap<string, number>;
  /** Offer the "my" favourite position as a switch. */
  myPositionSwitch?: boolean;
}

/** One row of the table: which devices it takes, what they become, and how commands go back. */
interface Mapping {
  matches(uiClass: string, widget: string): boolean;
  capabilities(s: StateReader, d: OverkizDevice, opts: MapOptions): Capability[];
  command?(s: StateReader, cmd: Command, d: OverkizDevice): OverkizCommand[];
}

const cmd = (name: string, ...parameters: unknown[]): OverkizCommand => ({ name, parameters });
/** Overkiz positions and levels are whole numbers. */
const clamp = (n: number, lo: number, hi: number) => clampValue(Math.round(n), lo, hi);

function coverPosition(s: StateReader, d: OverkizDevice, opts: MapOptions): { current?: number; target?: number } {
  const deployment = DEPLOYMENT_COVERS.includes(d.uiClass ?? '') || s.has('core:DeploymentState');
  if (deployment) {
    const current = s.number('core:DeploymentState');
    return { current, target: s.number('core:TargetDeploymentState') ?? opts.commandedTargets?.get(d.deviceURL) ?? current };
  }
  const closure = s.number('core:ClosureState');
  const target = s.number('core:TargetClosureState');
  const current = closure === undefined ? undefined : 100 - closure;
  return { current, target: target === undefined ? (opts.commandedTargets?.get(d.deviceURL) ?? current) : 100 - target };
}

const cover: Mapping = {
  matches: (ui) => COVERS.includes(ui),
  capabilities(s, d, opts) {
    const { current, target } = coverPosition(s, d, opts);
    const assumed = current === undefined;
    const position = current ?? opts.assumedPositions?.get(d.deviceURL) ?? 50;
    const goal = target ?? position;
    const moving = s.boolean('core:MovingState') === true;
    const positionState: PositionState = !moving || goal === position ? 'stopped' : goal > position ? 'increasing' : 'decreasing';
    const slate = s.number('core:SlateOrientationState');
    const caps: Capability[] = [
      {
        kind: 'cover',
        id: 'cover',
        name: d.label,
        currentPosition: clamp(position, 0, 100),
        targetPosition: clamp(goal, 0, 100),
        positionState,
        canHold: s.can('stop'),
        ...(slate !== undefined ? { tilt: clamp(slate * 1.8 - 90, -90, 90) } : {}),
        ...(assumed ? { assumed: true } : {}),
      },
    ];
    if (opts.myPositionSwitch && s.can('my')) caps.push({ kind: 'switch', id: 'my', name: `${d.label} My`, on: false, momentary: true });
    return caps;
  },
  command(s, c, d) {
    const deployment = DEPLOYMENT_COVERS.includes(d.uiClass ?? '') || s.has('core:DeploymentState');
    switch (c.type) {
      case 'setPosition': {
        const p = clamp(c.position, 0, 100);
        if (deployment && s.can('setDeployment')) return [cmd('setDeployment', p)];
        if (!deployment && s.can('setClosure')) return [cmd('setClosure', 100 - p)];
        if (deployment) return [cmd(p >= 50 ? 'deploy' : 'undeploy')];
        return [cmd(p >= 50 ? 'open' : 'close')];
      }
      case 'hold':
        return s.can('stop') ? [cmd('stop')] : [];
      case 'setTilt':
        return s.can('setOrientation') ? [cmd('setOrientation', clamp((c.tilt + 90) / 1.8, 0, 100))] : [];
      case 'setOn':
        return c.capabilityId === 'my' && c.on && s.can('my') ? [cmd('my')] : [];
      default:
        return [];
    }
  },
};

function doorState(s: StateReader): DoorState {
  const closure = s.number('core:ClosureState');
  if (closure !== undefined) return closure >= 100 ? 'closed' : closure <= 0 ? 'open' : 'stopped';
  const oc = s.string('core:OpenClosedUnknownState') ?? s.string('core:OpenClosedPedestrianState') ?? s.string('core:OpenClosedState');
  return oc === 'closed' ? 'closed' : oc === 'open' || oc === 'pedestrian' ? 'open' : 'stopped';
}

const garage: Mapping = {
  matches: (ui) => ui === 'GarageDoor' || ui === 'Gate',
  capabilities(s, d) {
    const current = doorState(s);
    return [{ kind: 'garageDoor', id: 'door', name: d.label, current, target: current === 'closed' ? 'closed' : 'open' }];
  },
  command: (_s, c) => (c.type === 'setDoor' ? [cmd(c.target === 'open' ? 'open' : 'close')] : []),
};

const light: Mapping = {
  matches: (ui) => ui === 'Light',
  capabilities(s, d) {
    const intensity = s.number('core:LightIntensityState');
    const dimmable = s.can('setIntensity') && intensity !== undefined;
    return [
      {
        kind: 'light',
        id: 'light',
        name: d.label,
        on: s.string('core:OnOffState') === 'on',
        ...(dimmable ? { brightness: clamp(intensity ?? 0, 0, 100) } : {}),
      },
    ];
  },
  command(s, c) {
    if (c.type === 'setOn') return [cmd(c.on ? 'on' : 'off')];
    if (c.type === 'setBrightness') return s.can('setIntensity') ? [cmd('setIntensity', clamp(c.brightness, 0, 100))] : [];
    return [];
  },
};

const onOff: Mapping = {
  matches: (ui) => ui === 'OnOff',
  capabilities: (s, d) => [
    {
      kind: /plug|socket/i.test(d.widget ?? '') ? 'outlet' : 'switch',
      id: 'switch',
      name: d.label,
      on: s.string('core:OnOffState') === 'on',
    },
  ],
  command: (_s, c) => (c.type === 'setOn' ? [cmd(c.on ? 'on' : 'off')] : []),
};

const heating: Mapping = {
  matches: (ui) => ui === 'HeatingSystem',
  capabilities(s, d, opts) {
    const target =
      s.number('core:TargetTemperatureState') ??
      s.number('core:ComfortRoomTemperatureState') ??
      s.number('io:EffectiveTemperatureSetpointState') ??
      19;
    const off = s.string('core:OnOffState') === 'off' || s.string('io:TargetHeatingLevelState') === 'off';
    const canSwitch = s.can('off') || s.can('setHeatingLevel');
    return [
      {
        kind: 'thermostat',
        id: 'thermostat',
        name: d.label,
        currentTemperature: opts.pairedTemperature ?? s.number('core:TemperatureState'),
        targetTemperature: target,
        mode: off ? 'off' : 'heat',
        active: off ? 'off' : 'heat',
        minTarget: 7,
        maxTarget: 30,
        step: 0.5,
        modes: canSwitch ? ['off', 'heat'] : [off ? 'off' : 'heat'],
      },
    ];
  },
  command(s, c) {
    if (c.type === 'setTargetTemperature') return s.can('setTargetTemperature') ? [cmd('setTargetTemperature', c.temperature)] : [];
    if (c.type === 'setMode') {
      if (s.can('setHeatingLevel')) return [cmd('setHeatingLevel', c.mode === 'off' ? 'off' : 'comfort')];
      if (s.can('off') && s.can('on')) return [cmd(c.mode === 'off' ? 'off' : 'on')];
    }
    return [];
  },
};

const lock: Mapping = {
  matches: (ui) => ui === 'DoorLock',
  capabilities(s, d) {
    const state = s.string('core:LockedUnlockedState');
    const current = state === 'locked' ? 'secured' : state === 'unlocked' ? 'unsecured' : 'unknown';
    return [{ kind: 'lock', id: 'lock', name: d.label, current, target: current === 'unsecured' ? 'unsecured' : 'secured' }];
  },
  command: (_s, c) => (c.type === 'setLock' ? [cmd(c.target === 'secured' ? 'lock' : 'unlock')] : []),
};

/** Sensors: uiClass -> sensor type and how to read the state. */
const SENSORS: Record<string, { sensor: SensorType; read: (s: StateReader) => number | boolean | undefined }> = {
  TemperatureSensor: { sensor: 'temperature', read: (s) => s.number('core:TemperatureState') },
  HumiditySensor: { sensor: 'humidity', read: (s) => s.number('core:RelativeHumidityState') },
  LightSensor: { sensor: 'light', read: (s) => s.number('core:LuminanceState') },
  ContactSensor: { sensor: 'contact', read: (s) => (s.has('core:ContactState') ? s.string('core:ContactState') === 'open' : undefined) },
  WindowHandle: {
    sensor: 'contact',
    read: (s) => (s.has('core:ThreeWayHandleDirectionState') ? s.string('core:ThreeWayHandleDirectionState') !== 'closed' : undefined),
  },
  OccupancySensor: {
    sensor: 'occupancy',
    read: (s) => (s.has('core:OccupancyState') ? s.string('core:OccupancyState') === 'personInside' : undefined),
  },
  MotionSensor: {
    sensor: 'motion',
    read: (s) => (s.has('core:OccupancyState') ? s.string('core:OccupancyState') === 'personInside' : undefined),
  },
  SmokeSensor: { sensor: 'smoke', read: (s) => (s.has('core:SmokeState') ? s.string('core:SmokeState') === 'detected' : undefined) },
  WaterDetectionSensor: {
    sensor: 'leak',
    read: (s) => (s.has('core:WaterDetectionState') ? s.string('core:WaterDetectionState') === 'detected' : undefined),
  },
  CO2Sensor: { sensor: 'co2', read: (s) => s.number('core:CO2ConcentrationState') },
};

const sensor: Mapping = {
  matches: (ui) => ui in SENSORS,
  capabilities(s, d) {
    // An OccupancySensor whose widget is a motion sensor is a motion sensor.
    const row = d.uiClass === 'OccupancySensor' && /motion/i.test(d.widget ?? '') ? SENSORS.MotionSensor : SENSORS[d.uiClass ?? ''];
    return [{ kind: 'sensor', id: 'sensor', name: d.label, sensor: row.sensor, value: row.read(s) }];
  },
};

export const MAPPINGS: readonly Mapping[] = [cover, garage, light, onOff, heating, lock, sensor];

function battery(s: StateReader, d: OverkizDevice): BatteryCapability | undefined {
  const level = s.number('core:BatteryLevelState');
  const state = s.string('core:BatteryState') ?? s.string('internal:BatteryStatusState');
  if (level === undefined && state === undefined) return undefined;
  const low = level !== undefined ? level < 20 : state === 'low' || state === 'verylow';
  return {
    kind: 'battery',
    id: 'battery',
    name: `${d.label} battery`,
    ...(level !== undefined ? { level: clamp(level, 0, 100) } : {}),
    low,
  };
}

export function mappingFor(d: OverkizDevice): Mapping | undefined {
  const ui = d.uiClass ?? d.definition.uiClass ?? '';
  const widget = d.widget ?? d.definition.widgetName ?? '';
  return MAPPINGS.find((m) => m.matches(ui, widget));
}

/** An Overkiz device -> the normalised Device, or undefined when its uiClass is not mapped (logged by the caller). */
export function mapOverkizDevice(d: OverkizDevice, opts: MapOptions = {}): Device | undefined {
  const mapping = mappingFor(d);
  if (!mapping) return undefined;
  const s = new StateReader(d);
  const caps = mapping.capabilities(s, d, opts);
  const bat = battery(s, d);
  if (bat) caps.push(bat);
  const attribute = (name: string) => d.attributes.find((a) => a.name === name)?.value;
  return {
    id: d.deviceURL,
    name: d.label || d.deviceURL,
    manufacturer: String(attribute('core:Manufacturer') ?? s.string('core:ManufacturerNameState') ?? 'Overkiz'),
    model: d.widget ?? d.controllableName,
    serial: d.deviceURL.replace(/^[a-z]+:\/\//, ''),
    firmware: typeof attribute('core:FirmwareRevision') === 'string' ? (attribute('core:FirmwareRevision') as string) : undefined,
    available: d.available && d.enabled,
    capabilities: caps,
  };
}

/** A HomeKit command -> the Overkiz commands for one /exec/apply action; a RejectedError when the device cannot do it. */
export function overkizCommands(d: OverkizDevice, command: Command): OverkizCommand[] {
  const mapping = mappingFor(d);
  const out = mapping?.command?.(new StateReader(d), command, d) ?? [];
  if (out.length === 0)
    throw new RejectedError(`${d.label}: ${command.type} is not supported by this device (${d.widget ?? d.controllableName})`);
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
export function overkizActionCommands(d: OverkizDevice, commands: readonly Command[]): OverkizCommand[] {
  const position = commands.find((c) => c.type === 'setPosition');
  const tilt = commands.find((c) => c.type === 'setTilt');
  const s = new StateReader(d);
  if (position && tilt && s.can('setClosureAndOrientation') && !s.has('core:DeploymentState')) {
    const both = cmd('setClosureAndOrientation', 100 - clamp(position.position, 0, 100), clamp((tilt.tilt + 90) / 1.8, 0, 100));
    const rest = commands.filter((c) => c !== position && c !== tilt).flatMap((c) => overkizCommands(d, c));
    return [both, ...rest];
  }
  return commands.flatMap((c) => overkizCommands(d, c));
}
