import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { Command, Device, HistorySample } from '../core/model';

/** What every vendor integration offers the platform. The platform knows nothing else about vendors. */
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
  onChange(listener: (deviceId: string) => void): void;
  /** After every successful discovery: the ids of all devices the vendor reports. Drives removals. */
  onDiscovery(listener: (deviceIds: string[]) => void): void;
  /** Rejects with a typed error (core/errors) when the vendor refuses or cannot be reached. */
  execute(deviceId: string, command: Command): Promise<void>;
  /** Past readings of a device's history-keeping sensors (the last 24 h), to seed Eve graphs at start. */
  history?(deviceId: string, signal: AbortSignal): Promise<HistorySample[]>;
}

export interface IntegrationContext {
  log: Logger;
  clock: Clock;
  /** Homebridge storage dir: the only place files may be written. */
  storagePath: string;
}
