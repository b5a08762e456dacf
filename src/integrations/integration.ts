import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { Command, Device, HistorySample } from '../core/model';
import type { Discovery } from './discovery';

/**
 * What every vendor integration offers the platform. The platform knows nothing else about vendors.
 *
 * Write semantics (ARCHITECTURE, "Fast feedback, and writes that batch"): a HomeKit controller sends one request
 * at a time per connection and waits for its answer. `execute` therefore resolves as soon as a write that can be
 * batched is validated (device known and available, command supported) and queued; the vendor's verdict comes
 * back as state through `onChange` (the asked value while pending, the real value and a fault on failure, with
 * one log line). Writes whose effect is the point (a Harmonys alert press) resolve only with the vendor's answer.
 *
 * Device lifecycle: the platform owns it (core/lifecycle.ts). An integration reports every successful full
 * discovery through `onDiscovery`, is asked for a fresh one through `rediscover`, and drops a removed device
 * through `forget`; it never decides a removal itself, and never reports a discovery it did not read.
 */
export interface Integration {
  /** "<vendor key>:<account identity>", the root of every accessory UUID of this account. */
  readonly key: string;
  /** Display name for log prefixes: "[HomeSmartlink] Reception: ...". */
  readonly vendor: string;
  /** Seeds the devices kept in the accessory cache, before start(). */
  restore(devices: Device[]): void;
  /** Login + discovery + loops. Resolves after the first attempt; never throws on a vendor outage. */
  start(signal: AbortSignal): Promise<void>;
  /** Last known devices, available or not. */
  devices(): Device[];
  /** One device by id, without copying the others. */
  device(id: string): Device | undefined;
  onChange(listener: (deviceId: string) => void): void;
  /** After every successful discovery: the ids of all devices the vendor reports. */
  onDiscovery(listener: (deviceIds: string[]) => void): void;
  /** Read the full device list again soon (a removal grace ended, or a discovery looked suspect). */
  rediscover(): void;
  /**
   * A device the integration makes itself (a "Boost all" switch, a district sensor), listed in every discovery:
   * it never counts when the lifecycle judges whether a vendor's reply looks suspect.
   */
  isPermanent(deviceId: string): boolean;
  /** The platform removed the device: keep nothing of it. */
  forget(deviceId: string): void;
  /** Rejects with a typed error (core/errors) when the write is refused before it is queued, or the vendor refuses. */
  execute(deviceId: string, command: Command): Promise<void>;
  /**
   * The settings page's pickers: what the account could show, read with its login (the integration's loops are not
   * started for it, except where reading the devices needs them). Called on an integration nobody else uses.
   */
  discover?(signal: AbortSignal): Promise<Discovery>;
  /** Past readings of a device's history-keeping sensors (the last 24 h), to seed Eve graphs at start. */
  history?(deviceId: string, signal: AbortSignal): Promise<HistorySample[]>;
}

export interface IntegrationContext {
  log: Logger;
  clock: Clock;
  /** Homebridge storage dir: the only place files may be written. */
  storagePath: string;
}
