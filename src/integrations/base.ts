import { DeviceStore } from '../core/deviceStore';
import type { Command, Device } from '../core/model';
import type { Integration } from './integration';

/** The bookkeeping every integration shares: a device store and the discovery listeners. */
export abstract class BaseIntegration implements Integration {
  protected readonly store = new DeviceStore();
  private readonly discoveryListeners: Array<(ids: string[]) => void> = [];

  constructor(
    readonly key: string,
    readonly vendor: string,
  ) {}

  abstract start(signal: AbortSignal): Promise<void>;
  abstract execute(deviceId: string, command: Command): Promise<void>;

  restore(devices: Device[]): void {
    this.store.restore(devices);
  }

  devices(): Device[] {
    return this.store.list();
  }

  onChange(listener: (deviceId: string) => void): void {
    this.store.onChange(listener);
  }

  onDiscovery(listener: (deviceIds: string[]) => void): void {
    this.discoveryListeners.push(listener);
  }

  protected discovered(devices: Device[]): void {
    this.store.upsert(devices);
    const ids = devices.map((d) => d.id);
    for (const l of this.discoveryListeners) l(ids);
  }
}
