import { DeviceStore, MAIN_ROUTE } from '../core/deviceStore';
import { describeError, isAbort, RejectedError, TransientError } from '../core/errors';
import { RouteHealth } from '../core/health';
import type { HttpClient } from '../core/http';
import type { Logger } from '../core/log';
import type { Command, Device } from '../core/model';
import { PollLoop, type PollLoopOptions } from '../core/pollLoop';
import { type DeviceWrites, WriteBatcher, type WriteBatcherOptions } from '../core/writeBatcher';
import type { Integration, IntegrationContext } from './integration';

/** The bookkeeping every integration shares: devices, availability per route, batched writes, discoveries. */
export abstract class BaseIntegration implements Integration {
  protected readonly store = new DeviceStore((d) => this.routesOf(d));
  protected abstract readonly log: Logger;
  private readonly discoveryListeners: Array<(ids: string[]) => void> = [];
  private loopsSignal: AbortSignal = new AbortController().signal;

  constructor(
    readonly key: string,
    readonly vendor: string,
    protected readonly ctx: IntegrationContext,
  ) {}

  abstract start(signal: AbortSignal): Promise<void>;
  abstract execute(deviceId: string, command: Command): Promise<void>;

  /** The signal of the running loops (aborted at shutdown); a placeholder that never aborts before start. */
  protected get signal(): AbortSignal {
    return this.loopsSignal;
  }

  restore(devices: Device[]): void {
    this.store.restore(devices);
  }

  devices(): Device[] {
    return this.store.list();
  }

  device(id: string): Device | undefined {
    return this.store.get(id);
  }

  onChange(listener: (deviceId: string) => void): void {
    this.store.onChange(listener);
  }

  onDiscovery(listener: (deviceIds: string[]) => void): void {
    this.discoveryListeners.push(listener);
  }

  /** Vendors whose every poll is a full discovery need nothing more; the others read their list again. */
  rediscover(): void {}

  forget(deviceId: string): void {
    this.store.forget(deviceId);
  }

  /** The routes besides the main one that a device depends on (a site sensor on a status route). */
  protected routesOf(_device: Device): readonly string[] {
    return [];
  }

  /** A refresh loop whose availability (with hysteresis) drives the devices that depend on `route`. */
  protected poller(opts: Omit<PollLoopOptions, 'onAvailability'>, route = MAIN_ROUTE): PollLoop {
    return new PollLoop({ ...opts, onAvailability: (ok) => this.store.setReachable(ok, route) });
  }

  /** The health of a route read inside another loop (a status route of the main poll). */
  protected routeHealth(route: string): RouteHealth {
    return new RouteHealth(this.ctx.clock, (ok) => this.store.setReachable(ok, route));
  }

  /**
   * A batch of writes that answers HomeKit once queued; the verdict is shown as state (asked value, then the
   * report; on failure the real value, a fault on the capability and one log line naming device, command, reason).
   */
  protected writeBatcher(opts: Pick<WriteBatcherOptions, 'windowMs' | 'maxWaitMs' | 'send'>): WriteBatcher {
    return new WriteBatcher({
      ...opts,
      clock: this.ctx.clock,
      signal: () => this.signal,
      settled: (writes, error) => this.writeSettled(writes, error),
    });
  }

  /** Validates and queues one write (see the Integration contract); throws when it cannot be queued. */
  protected queueWrite(batcher: WriteBatcher, deviceId: string, command: Command): void {
    const device = this.store.get(deviceId);
    if (!device) throw new RejectedError(`unknown device ${deviceId}`);
    if (!device.available) throw new TransientError(`${device.name} does not answer now`);
    this.store.expect(deviceId, command);
    batcher.push(deviceId, command);
  }

  /** A write the vendor accepted failed afterwards (an execution reported failed): its capabilities fault. */
  protected writeFailedLater(deviceId: string, capabilityIds: readonly string[], what: string, reason: string): void {
    this.log.warn(`${this.store.get(deviceId)?.name ?? deviceId}: ${what} failed (${reason}); showing its real state again`);
    this.store.markWriteFault(deviceId, capabilityIds, true);
  }

  private writeSettled(writes: DeviceWrites, error?: Error): void {
    this.store.settle(writes.deviceId, writes.commands, !error);
    if (!error || isAbort(error)) return;
    const name = this.store.get(writes.deviceId)?.name ?? writes.deviceId;
    this.log.warn(
      `${name}: ${writes.commands.map(describeCommand).join(' + ')} failed: ${describeError(error)}; showing its real state again`,
    );
  }

  /**
   * The start every integration shares: the first refresh of `main` is awaited (so accessories exist when start
   * resolves, or are marked unreachable), then the loops run until `signal` aborts, which also closes `http`.
   */
  protected async startLoops(signal: AbortSignal, http: HttpClient, main: PollLoop, ...others: PollLoop[]): Promise<void> {
    this.loopsSignal = signal;
    signal.addEventListener('abort', () => void http.close(), { once: true });
    await main.runOnce(signal).catch(() => undefined);
    void main.start(signal);
    for (const loop of others) void loop.start(signal);
  }

  /** A full list read from the vendor now (never a cached one): drives publication and removals. */
  protected discovered(devices: Device[]): void {
    this.store.upsert(devices);
    const ids = devices.map((d) => d.id);
    for (const l of this.discoveryListeners) {
      try {
        l(ids);
      } catch (err) {
        this.log.error(`publishing the discovered devices failed: ${describeError(err)}`);
      }
    }
  }
}

function describeCommand(c: Command): string {
  const { capabilityId: _id, type, ...args } = c;
  const values = Object.values(args);
  return values.length ? `${type}(${values.join(', ')})` : type;
}
