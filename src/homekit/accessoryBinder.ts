import type { Characteristic, CharacteristicProps, CharacteristicValue, HAP, PlatformAccessory, Service } from 'homebridge';
import { describeError, RateLimitError } from '../core/errors';
import type { Logger } from '../core/log';
import type { Capability, Command, Device, EnergyCapability, HistorySample, SensorCapability } from '../core/model';
import { EveHistory, type HistoryType } from './eveHistory';
import { specsFor } from './mappers';
import { cleanName } from './names';
import type { CharacteristicType, CharSpec, ServiceSpec } from './spec';

/** What HomeKit shows as the firmware of a device whose vendor reports none. */
const UNKNOWN_FIRMWARE = '0.0.0';

export interface AccessoryContext {
  integrationKey: string;
  device: Device;
}

export type HubAccessory = PlatformAccessory<AccessoryContext>;

interface BoundChar {
  capabilityId: string;
  spec: CharSpec<Capability>;
  characteristic: Characteristic;
  lastEventKey?: number;
  /** The device gave this characteristic a value at least once (else HAP's default, e.g. 0 °C, would be shown). */
  known: boolean;
}

interface BoundService {
  capabilityId: string;
  service: Service;
  spec: ServiceSpec<Capability>;
}

/**
 * Keeps one PlatformAccessory in step with one Device: creates and removes services as capabilities come and go,
 * answers reads from the cached device (never the network), turns writes into commands, and pushes only
 * changed values to HomeKit.
 */
export class AccessoryBinder {
  private device: Device;
  private chars: BoundChar[] = [];
  private services: BoundService[] = [];
  private structure = '';
  private eve?: EveHistory;
  private historyFailed = false;
  private lastHistoryAt = -Infinity;
  /** Meter reading (kWh) at the last energy history entry: a meter without a power reading gets its mean power. */
  private lastTotal?: { at: number; kWh: number };

  constructor(
    readonly accessory: HubAccessory,
    device: Device,
    private readonly hap: HAP,
    private readonly log: Logger,
    private readonly execute: (command: Command) => Promise<void>,
    private readonly historyStore?: string,
    private readonly now: () => number = Date.now,
  ) {
    this.device = device;
    this.build();
  }

  /** Eve history of this accessory, when a sensor keeps one and a storage dir was given. */
  get history(): EveHistory | undefined {
    return this.eve;
  }

  /** Adds the current readings to the Eve history (at most one entry per 10 minutes, as Eve devices do). */
  recordHistory(now = this.now()): void {
    if (!this.eve || !this.device.available) return;
    if (now - this.lastHistoryAt < 10 * 60_000) return;
    const sample = currentSample(this.device, now, this.lastTotal);
    const total = this.device.capabilities.find((c) => c.kind === 'energy' && c.totalKWh !== undefined);
    if (total?.kind === 'energy' && total.totalKWh !== undefined) this.lastTotal = { at: now, kWh: total.totalKWh };
    if (!sample) return;
    this.lastHistoryAt = now;
    this.eve.add([sample]);
  }

  get current(): Device {
    return this.device;
  }

  update(device: Device): void {
    this.device = device;
    this.accessory.context.device = device;
    if (structureOf(this.hap, device) !== this.structure) this.build();
    else this.push();
    this.recordHistory();
  }

  private capability(id: string): Capability | undefined {
    return this.device.capabilities.find((c) => c.id === id);
  }

  private build(): void {
    const { hap, accessory, device } = this;
    const C = hap.Characteristic;
    this.structure = structureOf(hap, device);
    this.chars = [];
    this.services = [];
    this.fillInformation();
    const wanted = new Set<Service>();
    for (const cap of device.capabilities) {
      for (const spec of specsFor(hap, cap)) {
        const subtype = cap.id + (spec.subtypeSuffix ?? '');
        const name = cleanName(cap.name, device.name);
        let service = accessory.getServiceById(spec.type, subtype);
        if (!service) {
          service = accessory.addService(spec.type, name, subtype);
          addOptional(service, C.ConfiguredName);
          // Only set on creation: afterwards ConfiguredName belongs to the user's renames in Home.
          service.setCharacteristic(C.ConfiguredName, name);
        }
        service.setCharacteristic(C.Name, name);
        wanted.add(service);
        this.services.push({ capabilityId: cap.id, service, spec });
        for (const charSpec of spec.chars) this.bindChar(service, cap, charSpec);
        if (cap.fault !== undefined) {
          addOptional(service, C.StatusFault);
          this.bindChar(service, cap, {
            type: C.StatusFault,
            get: (c) => (c.fault ? C.StatusFault.GENERAL_FAULT : C.StatusFault.NO_FAULT),
          });
        }
        if (spec.statusActive) this.bindChar(service, cap, { type: C.StatusActive, get: () => this.device.available });
      }
    }
    const type = historyType(device);
    if (type && !this.eve && this.historyStore && !this.historyFailed) {
      try {
        this.eve = new EveHistory(hap, accessory, this.historyStore, type);
      } catch (err) {
        // The accessory works without its Eve graphs; it must not go missing for them.
        this.historyFailed = true;
        this.log.warn(`${device.name}: Eve history not available: ${describeError(err)}`);
      }
    }
    for (const service of [...accessory.services]) {
      if (service.UUID === hap.Service.AccessoryInformation.UUID || wanted.has(service)) continue;
      if (this.eve && service.subtype === 'eve-history') continue;
      accessory.removeService(service);
    }
    this.push();
  }

  private fillInformation(): void {
    const { hap, device } = this;
    const C = hap.Characteristic;
    const info = this.accessory.getService(hap.Service.AccessoryInformation) ?? this.accessory.addService(hap.Service.AccessoryInformation);
    info
      .setCharacteristic(C.Manufacturer, cleanName(device.manufacturer, 'Building Hub'))
      .setCharacteristic(C.Model, cleanName(device.model, 'Device'))
      .setCharacteristic(C.SerialNumber, cleanName(device.serial, device.id))
      .setCharacteristic(C.Name, cleanName(device.name));
    // HAP requires a FirmwareRevision. The device's own when the vendor reports one; otherwise HAP's "unknown" 0.0.0,
    // set on every start too (Homebridge gives restored accessories a placeholder "0" that would show instead).
    const firmware = device.firmware?.match(/\d+(\.\d+){0,2}/)?.[0];
    info.setCharacteristic(C.FirmwareRevision, firmware ?? UNKNOWN_FIRMWARE);
  }

  private bindChar(service: Service, cap: Capability, spec: CharSpec<Capability>): void {
    const characteristic = service.getCharacteristic(spec.type);
    const initial = spec.eventKey ? undefined : spec.get?.(cap);
    setPropsAndValue(characteristic, spec.props?.(cap), initial);
    const known = initial !== undefined;
    const bound: BoundChar = { capabilityId: cap.id, spec, characteristic, known, lastEventKey: spec.eventKey?.(cap) };
    this.chars.push(bound);
    if (spec.eventKey) {
      // An event has no state: a read answers null (HAP's rule for ProgrammableSwitchEvent).
      characteristic.onGet(() => null);
      return;
    }
    if (spec.get) characteristic.onGet(() => this.read(bound));
    const set = spec.set;
    if (set) characteristic.onSet((value) => this.write(bound, set, value));
  }

  private read(bound: BoundChar): CharacteristicValue {
    if (!this.device.available) throw new this.hap.HapStatusError(this.hap.HAPStatus.SERVICE_COMMUNICATION_FAILURE);
    const cap = this.capability(bound.capabilityId);
    const value = cap && bound.spec.get ? bound.spec.get(cap) : undefined;
    if (value !== undefined) return value;
    // A value never read from the device is not HAP's default: the read fails instead of answering 0.
    if (!bound.known) throw new this.hap.HapStatusError(this.hap.HAPStatus.SERVICE_COMMUNICATION_FAILURE);
    return bound.characteristic.value as CharacteristicValue;
  }

  private async write(bound: BoundChar, set: NonNullable<CharSpec<Capability>['set']>, value: CharacteristicValue): Promise<void> {
    const { HapStatusError, HAPStatus } = this.hap;
    const cap = this.capability(bound.capabilityId);
    if (!this.device.available || !cap) throw new HapStatusError(HAPStatus.SERVICE_COMMUNICATION_FAILURE);
    const command = { capabilityId: cap.id, ...set(value, cap) } as Command;
    try {
      await this.execute(command);
      // HAP stores the written value after this handler returns; then show the real state (a momentary switch is off again).
      setImmediate(() => this.push());
    } catch (err) {
      this.log.warn(`${this.device.name}: ${command.type} failed: ${describeError(err)}`);
      // Show the real state again instead of the value Home optimistically kept.
      setImmediate(() => this.push());
      throw new HapStatusError(err instanceof RateLimitError ? HAPStatus.RESOURCE_BUSY : HAPStatus.SERVICE_COMMUNICATION_FAILURE);
    }
  }

  /** Sends HomeKit only what changed; while unavailable nothing is pushed (reads answer No Response). */
  private push(): void {
    for (const bound of this.chars) {
      const cap = this.capability(bound.capabilityId);
      if (!cap || !bound.spec.get) continue;
      if (bound.spec.eventKey) {
        const key = bound.spec.eventKey(cap);
        if (key === bound.lastEventKey) continue;
        bound.lastEventKey = key;
        const event = bound.spec.get(cap);
        if (event !== undefined) bound.characteristic.sendEventNotification(event);
        continue;
      }
      const value = bound.spec.get(cap);
      if (value === undefined) continue;
      bound.known = true;
      if (!sameValue(value, bound.characteristic.value)) bound.characteristic.updateValue(value);
    }
  }
}

/** HAP rounds numbers to minStep (19.3 becomes 19.30000000000001), so numbers compare with a tolerance. */
function sameValue(a: CharacteristicValue, b: CharacteristicValue | null): boolean {
  return typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-6 : a === b;
}

function addOptional(service: Service, type: CharacteristicType): void {
  if (!service.optionalCharacteristics.some((c) => c.UUID === type.UUID)) service.addOptionalCharacteristic(type);
}

/** A fingerprint of the services and characteristics a device needs; when it changes, services are rebuilt. */
function structureOf(hap: HAP, device: Device): string {
  const spec = (cap: Capability, s: ServiceSpec<Capability>) =>
    [
      `${cap.id}${s.subtypeSuffix ?? ''}`,
      s.type.UUID,
      s.chars.map((c) => c.type.UUID).join(','),
      cap.fault !== undefined,
      JSON.stringify(s.chars.map((c) => c.props?.(cap))),
    ].join(':');
  return device.capabilities
    .map((cap) =>
      specsFor(hap, cap)
        .map((s) => spec(cap, s))
        .join('|'),
    )
    .join('/')
    .concat(`#${device.name}`);
}

/**
 * New props and a new value without either being checked against the other's old state (HAP warns, and clamps, when
 * a value is outside the props, e.g. a 55 °C tank setpoint against the default 38 °C maximum): first props that
 * admit both the old and the new value, then the value, then the props themselves.
 */
function setPropsAndValue(c: Characteristic, props: Partial<CharacteristicProps> | undefined, value: CharacteristicValue | undefined) {
  if (props) {
    const both = [c.value, value].filter((v): v is number => typeof v === 'number');
    const wide: Partial<CharacteristicProps> = { ...props };
    if (props.minValue !== undefined) wide.minValue = Math.min(props.minValue, ...both);
    if (props.maxValue !== undefined) wide.maxValue = Math.max(props.maxValue, ...both);
    if (props.validValues) wide.validValues = [...new Set([...props.validValues, ...both])];
    if (props.minStep !== undefined && both.length > 0) delete wide.minStep;
    c.setProps(wide);
  }
  if (value !== undefined) c.updateValue(value);
  if (props) c.setProps(props);
}

/**
 * The Eve history an accessory keeps: room readings where a sensor keeps one, else its power where it has an
 * energy meter (its power reading, or its mean power between two entries). Eve keeps one history per accessory.
 */
function historyType(device: Device): HistoryType | undefined {
  if (device.capabilities.some((c) => c.kind === 'sensor' && c.history)) return 'room';
  return device.capabilities.some((c) => c.kind === 'energy') ? 'energy' : undefined;
}

/** The device's history-keeping readings now, or undefined when it has none yet. */
function currentSample(device: Device, now: number, last?: { at: number; kWh: number }): HistorySample | undefined {
  if (historyType(device) === 'energy') {
    const meter = device.capabilities.find((c): c is EnergyCapability => c.kind === 'energy');
    if (meter?.powerW !== undefined) return { at: now, powerW: meter.powerW };
    // kWh over the hours since the last entry = mean W / 1000; a meter reset (a smaller total) gives no entry
    const used = meter?.totalKWh !== undefined && last ? meter.totalKWh - last.kWh : undefined;
    return used !== undefined && used >= 0 && last ? { at: now, powerW: (used * 1000 * 3_600_000) / (now - last.at) } : undefined;
  }
  const value = (sensor: SensorCapability['sensor']) => {
    const cap = device.capabilities.find((c): c is SensorCapability => c.kind === 'sensor' && c.sensor === sensor && c.history === true);
    return typeof cap?.value === 'number' ? cap.value : undefined;
  };
  const sample = { at: now, temperature: value('temperature'), humidity: value('humidity'), co2: value('co2') };
  return sample.temperature === undefined && sample.humidity === undefined && sample.co2 === undefined ? undefined : sample;
}
