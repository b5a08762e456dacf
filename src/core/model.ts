/**
 * The normalised device model every integration produces and every HomeKit mapper consumes.
 * Vendor-neutral and JSON-serialisable: it is stored in the accessory context to survive restarts.
 */

interface CapabilityBase {
  /** Stable within the device; becomes the HomeKit service subtype. */
  id: string;
  /** Vendor label shown in Home (cleaned by the HomeKit layer). */
  name: string;
  /** Something is wrong with this function (a failed delivery, a stale reading) while the device answers. */
  fault?: boolean;
}

export interface SwitchCapability extends CapabilityBase {
  kind: 'switch' | 'outlet';
  on: boolean;
  /** Turns itself off after a write (scenes, alert buttons, one-shot actions). */
  momentary?: boolean;
}

export interface LightCapability extends CapabilityBase {
  kind: 'light';
  on: boolean;
  /** 0..100, absent when not dimmable. */
  brightness?: number;
  /** Colour lights: hue 0..360, saturation 0..100; colour temperature in mireds (140..500). Absent when not offered. */
  hue?: number;
  saturation?: number;
  colorTemperature?: number;
}

export type PositionState = 'increasing' | 'decreasing' | 'stopped';

export interface CoverCapability extends CapabilityBase {
  kind: 'cover';
  /** HomeKit convention: 0 = closed, 100 = open. Vendors convert. */
  currentPosition: number;
  targetPosition: number;
  positionState: PositionState;
  /** -90..90 degrees, when the cover tilts. */
  tilt?: number;
  canHold?: boolean;
  /** The position is assumed from the last command (no feedback from the device). */
  assumed?: boolean;
}

export type DoorState = 'open' | 'closed' | 'opening' | 'closing' | 'stopped';

export interface GarageDoorCapability extends CapabilityBase {
  kind: 'garageDoor';
  current: DoorState;
  target: 'open' | 'closed';
  obstructed?: boolean;
}

export type HeatingMode = 'off' | 'heat' | 'cool' | 'auto';

export interface ThermostatCapability extends CapabilityBase {
  kind: 'thermostat';
  /** °C; undefined when the device has no reading. */
  currentTemperature?: number;
  targetTemperature: number;
  mode: HeatingMode;
  /** What the device is doing now. */
  active: 'off' | 'heat' | 'cool';
  minTarget: number;
  maxTarget: number;
  step: number;
  /** Modes the user may pick in Home; the first is the default. */
  modes: HeatingMode[];
}

export type ClimateMode = 'auto' | 'heat' | 'cool';

/** A heat pump or air conditioner (HomeKit HeaterCooler): on/off apart from its mode, a target per side. */
export interface HeaterCoolerCapability extends CapabilityBase {
  kind: 'heaterCooler';
  active: boolean;
  /** °C; undefined when the unit has no reading. */
  currentTemperature?: number;
  /** What the unit does now. */
  state: 'inactive' | 'idle' | 'heating' | 'cooling';
  mode: ClimateMode;
  /** Modes the user may pick in Home. */
  modes: ClimateMode[];
  /** °C. A unit with one setpoint reports it on both sides; a side the unit does not have is absent. */
  heatingTarget?: number;
  coolingTarget?: number;
  heatingRange: { min: number; max: number };
  coolingRange: { min: number; max: number };
  step: number;
  /** Fan speed 0..100 in steps of 100 / fanSteps, where the unit has speeds. */
  fanSpeed?: number;
  fanSteps?: number;
  /** Louvres swinging, where the unit can swing them. */
  swing?: boolean;
}

/** A fan or ventilation unit (HomeKit Fanv2). */
export interface FanCapability extends CapabilityBase {
  kind: 'fan';
  on: boolean;
  /** 0..100 in steps of 100 / speedSteps; absent when the speed is not known. */
  speed?: number;
  speedSteps?: number;
  /** The unit decides its speed itself; absent when it cannot. */
  auto?: boolean;
}

export type SensorType =
  'temperature' | 'humidity' | 'co2' | 'airQuality' | 'light' | 'contact' | 'leak' | 'motion' | 'occupancy' | 'smoke';

export interface SensorCapability extends CapabilityBase {
  kind: 'sensor';
  sensor: SensorType;
  /**
   * Numeric sensors: °C, %RH, ppm, lux, airQuality 1 (excellent) .. 5 (poor).
   * Boolean sensors: true = open / leak / motion / occupied / smoke.
   * undefined = no reading yet.
   */
  value?: number | boolean;
  /** Keep an Eve-compatible history of this reading (temperature, humidity, co2). */
  history?: boolean;
}

/** One point of a sensor history: what the integration can read back from the vendor. */
export interface HistorySample {
  /** Epoch ms */
  at: number;
  temperature?: number;
  humidity?: number;
  co2?: number;
  /** Energy history: power now, W. */
  powerW?: number;
}

export interface BatteryCapability extends CapabilityBase {
  kind: 'battery';
  /** 0..100, undefined when only "low" is known. */
  level?: number;
  low: boolean;
  charging?: boolean;
}

export interface LockCapability extends CapabilityBase {
  kind: 'lock';
  current: 'secured' | 'unsecured' | 'jammed' | 'unknown';
  target: 'secured' | 'unsecured';
}

export type SecurityArm = 'stay' | 'away' | 'night' | 'disarmed';

export interface SecuritySystemCapability extends CapabilityBase {
  kind: 'securitySystem';
  current: SecurityArm | 'triggered';
  target: SecurityArm;
  /** What Home may ask (disarm can be left out so that Home cannot disarm). */
  targets: SecurityArm[];
}

/** Energy of an appliance (or a meter): cumulative kWh and, where known, power now (W). */
export interface EnergyCapability extends CapabilityBase {
  kind: 'energy';
  totalKWh?: number;
  powerW?: number;
}

export interface ButtonCapability extends CapabilityBase {
  kind: 'button';
  /** Increments at each press reported by the vendor; a change fires a HomeKit event. */
  presses: number;
  lastPress?: 'single' | 'double' | 'long';
}

export type Capability =
  | SwitchCapability
  | LightCapability
  | CoverCapability
  | GarageDoorCapability
  | ThermostatCapability
  | HeaterCoolerCapability
  | FanCapability
  | SensorCapability
  | BatteryCapability
  | LockCapability
  | SecuritySystemCapability
  | EnergyCapability
  | ButtonCapability;

export type CapabilityKind = Capability['kind'];

export interface Device {
  /** Stable vendor id within its account. */
  id: string;
  name: string;
  manufacturer: string;
  model: string;
  serial: string;
  firmware?: string;
  /** False while the vendor or the device does not answer: Home shows No Response. */
  available: boolean;
  /** Kept off Matter (a Harmonys alert button the user did not list under matterButtons): HAP only. */
  matterHidden?: boolean;
  capabilities: Capability[];
}

/** A write from Home, addressed to one capability of one device. */
export type Command =
  | { capabilityId: string; type: 'setOn'; on: boolean }
  | { capabilityId: string; type: 'setBrightness'; brightness: number }
  | { capabilityId: string; type: 'setPosition'; position: number }
  | { capabilityId: string; type: 'setTilt'; tilt: number }
  | { capabilityId: string; type: 'hold' }
  | { capabilityId: string; type: 'setDoor'; target: 'open' | 'closed' }
  | { capabilityId: string; type: 'setTargetTemperature'; temperature: number }
  | { capabilityId: string; type: 'setMode'; mode: HeatingMode }
  | { capabilityId: string; type: 'setHeatingThreshold'; temperature: number }
  | { capabilityId: string; type: 'setCoolingThreshold'; temperature: number }
  | { capabilityId: string; type: 'setFanSpeed'; speed: number }
  | { capabilityId: string; type: 'setFanAuto'; auto: boolean }
  | { capabilityId: string; type: 'setSwing'; on: boolean }
  | { capabilityId: string; type: 'setLock'; target: 'secured' | 'unsecured' }
  | { capabilityId: string; type: 'setSecurity'; target: SecurityArm }
  | { capabilityId: string; type: 'setHue'; hue: number }
  | { capabilityId: string; type: 'setSaturation'; saturation: number }
  | { capabilityId: string; type: 'setColorTemperature'; mireds: number };
