import { DeviceStore, MAIN_ROUTE } from '../core/deviceStore';
import { describeError, isAbort, RejectedError, TransientError } from '../core/errors';
import { RouteHealth } from '../core/health';
import { HttpClient, type HttpClientOptions } from '../core/http';
import { type Logger, scopedLogger } from '../core/log';
import type { Command, Device } from '../core/model';
import { PollLoop, type PollLoopOptions } from '../core/pollLoop';
import { Redactor } from '../core/redact';
import { StateFile } from '../core/stateFile';
import type { z } from 'zod';
import { type DeviceWrites, WriteBatcher, type WriteBatcherOptions } from '../core/writeBatcher';
import type { Integration, IntegrationContext } from './integration';

/** Who an integration is and how it reaches its vendor: the base builds the redactor, the log and the HTTP client. */
export interface IntegrationIdentity {
  /** "<vendor key>:<account identity>", the root of every accessory UUID of this account. */
  key: string;
  vendor: string;
  /** The account's name in log lines: "[Vendor] <label>: ...". */
  label: string;
  /** Removed from every log line and error message, even in debug. */
  secrets?: Array<string | undefined>;
  /** Credentials sent as HTTP Basic: their base64 forms are redacted too. */
  basicAuth?: { user: string; secret: string };
  http: Omit<HttpClientOptions, 'redactor' | 'clock'>;
}

/**
 * The scaffold every integration shares, so a vendor folder holds only what is specific to the vendor: redaction,
 * the scoped logger and the HTTP client; devices and availability per route; loops; batched writes; discoveries.
 */
export abstract class BaseIntegration implements Integration {
  readonly key: string;
  readonly vendor: string;
  readonly http: HttpClient;
  protected readonly log: Logger;
  protected readonly store = new DeviceStore((d) => this.routesOf(d));
  private readonly discoveryListeners: Array<(ids: string[]) => void> = [];
  private readonly reported = new Set<string>();
  /** Devices the integration makes itself (see Integration.isPermanent). */
  protected readonly permanentIds = new Set<string>();
  private loopsSignal: AbortSignal = new AbortController().signal;

  constructor(
    protected readonly ctx: IntegrationContext,
    identity: IntegrationIdentity,
  ) {
    this.key = identity.key;
    this.vendor = identity.vendor;
    const redactor = new Redactor(identity.secrets);
    if (identity.basicAuth) redactor.addBasic(identity.basicAuth.user, identity.basicAuth.secret);
    this.log = scopedLogger(ctx.log, `[${identity.vendor}] ${identity.label}:`, redactor);
    // One retry per request at most: the poll loop's own backoff does the rest, so a failing vendor sees at most one
    // request per cycle beyond it (three retries stacked on every poll sent 4-6x the healthy rate under a fault).
    this.http = new HttpClient({ retries: 1, ...identity.http, redactor, clock: ctx.clock });
  }

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

  isPermanent(deviceId: string): boolean {
    return this.permanentIds.has(deviceId);
  }

  forget(deviceId: string): void {
    this.store.forget(deviceId);
  }

  /** The routes besides the main one that a device depends on (a site sensor on a status route). */
  protected routesOf(_device: Device): readonly string[] {
    return [];
  }

  /** A refresh loop whose availability (with hysteresis) drives the devices that depend on `route` (none: null). */
  protected poller(opts: Omit<PollLoopOptions, 'onAvailability' | 'clock' | 'log'>, route: string | null = MAIN_ROUTE): PollLoop {
    const onAvailability = route === null ? undefined : (ok: boolean) => this.store.setReachable(ok, route);
    return new PollLoop({ ...opts, clock: this.ctx.clock, log: this.log, onAvailability });
  }

  /** This account's state file `<vendor>-<account key>-<what>.json` under the storage dir (owner-only). */
  protected stateFile<T>(what: string, schema: z.ZodType<T>): StateFile<T> {
    const name = `${this.key.split(':')[0]}-${this.key.replace(/[^\w.-]+/g, '_')}-${what}.json`;
    return new StateFile(this.ctx.storagePath, name, schema, this.log);
  }

  /** Reports a condition once per key for the life of the account (an unknown device kind, a missing id). */
  protected once(key: string, report: () => void): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    report();
  }

  /** The health of a route read inside another loop (a status route of the main poll). */
  protected routeHealth(route: string): RouteHealth {
    return new RouteHealth(
      this.ctx.clock,
      (ok) => this.store.setReachable(ok, route),
      () => this.signal,
    );
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
  protected async startLoops(signal: AbortSignal, main: PollLoop, ...others: PollLoop[]): Promise<void> {
    this.loopsSignal = signal;
    signal.addEventListener('abort', () => void this.http.close(), { once: true });
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
