import type { Characteristic, CharacteristicProps, CharacteristicValue, HAP, Service, WithUUID } from 'homebridge';
import type { Capability, CapabilityKind, Command } from '../core/model';

export type CharacteristicType = WithUUID<new () => Characteristic>;
export type ServiceType = WithUUID<typeof Service>;
/** A command without its address: the binder adds the capability id. */
export type CommandBody = Command extends infer C ? (C extends Command ? Omit<C, 'capabilityId'> : never) : never;

/** One characteristic bound to one capability, declaratively (ring/z2m style). */
export interface CharSpec<C extends Capability> {
  type: CharacteristicType;
  /** HomeKit value from the capability state; undefined = no value to show yet. */
  get?: (cap: C) => CharacteristicValue | undefined;
  /** HomeKit write -> command for the integration. */
  set?: (value: CharacteristicValue, cap: C) => CommandBody;
  props?: (cap: C) => Partial<CharacteristicProps>;
  /** Stateless event characteristic (ProgrammableSwitchEvent): `get` is sent as an event when `eventKey` changes. */
  eventKey?: (cap: C) => number;
}

export interface ServiceSpec<C extends Capability> {
  type: ServiceType;
  chars: Array<CharSpec<C>>;
  /** Appended to the capability id when one capability needs two services (e.g. the thermostat + its sensor). */
  subtypeSuffix?: string;
  /** Sensors have StatusActive; it mirrors availability. */
  statusActive?: boolean;
}

export type Mapper<K extends CapabilityKind> = (
  hap: HAP,
  cap: Extract<Capability, { kind: K }>,
) => Array<ServiceSpec<Extract<Capability, { kind: K }>>>;

export { clamp } from '../core/numbers';
