import { Coordinator, type CoordinatorOptions } from '../core/coordinator';
import { DeviceStore } from '../core/deviceStore';
import type { HttpClient } from '../core/http';
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

  /** A refresh loop whose success and failure drive the availability of every device of the account. */
  protected poller(opts: Omit<CoordinatorOptions<void>, 'onData' | 'onAvailability'>): Coordinator<void> {
    return new Coordinator<void>({ ...opts, onData: () => undefined, onAvailability: (ok) => this.store.setReachable(ok) });
  }

  /**
   * The start every integration shares: the first refresh of `main` is awaited (so accessories exist when start
   * resolves, or are marked unreachable), then the loops run until `signal` aborts, which also closes `http`.
   */
  protected async startLoops(signal: AbortSignal, http: HttpClient, main: Coordinator<void>, ...others: Array<Coordinator<void>>): Promise<void> {
    signal.addEventListener('abort', () => void http.close(), { once: true });
    await main.runOnce(signal).catch(() => undefined);
    void main.start(signal);
    for (const loop of others) void loop.start(signal);
  }

  protected discovered(devices: Device[]): void {
    this.store.upsert(devices);
    const ids = devices.map((d) => d.id);
    for (const l of this.discoveryListeners) l(ids);
  }
}
