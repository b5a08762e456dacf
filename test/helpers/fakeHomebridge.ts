import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import * as hap from 'hap-nodejs';
import type { API, PlatformAccessory, PlatformConfig } from 'homebridge';
import { type Clock, systemClock } from '../../src/core/clock';
import { BuildingHubPlatform } from '../../src/platform';
import { FakeMatter, type SerializedMatter } from './fakeMatter';
import { CapturedLog } from './logs';
import { tempDir } from './tempDir';

/** A PlatformAccessory double built on a real hap-nodejs Accessory (services and characteristics are real). */
export class FakePlatformAccessory extends hap.Accessory {
  /** Every "characteristic warning" HAP raised (out-of-range value, invalid name...): tests expect none. */
  static warnings: string[] = [];
  context: Record<string, unknown> = {};
  constructor(
    override readonly displayName: string,
    uuid: string,
  ) {
    super(displayName, uuid);
    this.on(hap.AccessoryEventTypes.CHARACTERISTIC_WARNING, (w: { message: string; characteristic: { displayName: string } }) =>
      FakePlatformAccessory.warnings.push(`${displayName}/${w.characteristic.displayName}: ${w.message}`),
    );
  }
}

/**
 * Enough of Homebridge's API to run the platform in-process: lifecycle events, a persistent accessory cache
 * (JSON, like cachedAccessories), and the real HAP classes. `restart()` builds a new platform over the saved cache.
 */
export class FakeHomebridge {
  readonly storage = tempDir('unit');
  readonly log = new CapturedLog();
  registered = new Map<string, FakePlatformAccessory>();
  /** Calls to updatePlatformAccessories, with the accessories' names. */
  readonly updates: string[][] = [];
  /** What Homebridge would have written to disk at shutdown. */
  private saved: Array<{ displayName: string; UUID: string; context: unknown; services: unknown }> = [];
  api!: API & EventEmitter;
  platform!: BuildingHubPlatform;
  /** Homebridge 2's api.matter, when the bridge runs Matter (`withMatter`). */
  matter?: FakeMatter;
  private savedMatter: SerializedMatter[] = [];

  constructor(
    private config: Record<string, unknown>,
    private readonly clock?: Clock,
    private readonly withMatter = false,
  ) {}

  /** The platform block for the next launch (same storage and cache). */
  reconfigure(config: Record<string, unknown>): void {
    this.config = config;
  }

  async launch(): Promise<void> {
    const emitter = new EventEmitter();
    this.registered = new Map();
    const api = Object.assign(emitter, {
      hap,
      platformAccessory: FakePlatformAccessory,
      user: { storagePath: () => this.storage },
      registerPlatformAccessories: (_p: string, _n: string, list: FakePlatformAccessory[]) =>
        list.forEach((a) => this.registered.set(a.UUID, a)),
      unregisterPlatformAccessories: (_p: string, _n: string, list: FakePlatformAccessory[]) =>
        list.forEach((a) => this.registered.delete(a.UUID)),
      updatePlatformAccessories: (list: FakePlatformAccessory[]) => this.updates.push(list.map((a) => a.displayName)),
      registerPlatform: () => undefined,
      versionGreaterOrEqual: () => true,
    }) as unknown as API & EventEmitter;
    if (this.withMatter) {
      this.matter = new FakeMatter();
      this.matter.restore(this.savedMatter);
      Object.assign(api, { matter: this.matter });
    }
    this.api = api;
    const clock = this.clock;
    class TestPlatform extends BuildingHubPlatform {
      protected override clock = clock ?? systemClock;
    }
    this.platform = new TestPlatform(this.log as never, { platform: 'BuildingHub', ...this.config } as PlatformConfig, api);
    for (const c of this.saved) {
      const acc = new FakePlatformAccessory(c.displayName, c.UUID);
      acc.context = structuredClone(c.context) as Record<string, unknown>;
      this.platform.configureAccessory(acc as unknown as PlatformAccessory);
      this.registered.set(acc.UUID, acc);
    }
    for (const m of this.savedMatter) this.platform.configureMatterAccessory(structuredClone(m) as never);
    api.emit('didFinishLaunching');
  }

  shutdown(): void {
    this.api.emit('shutdown');
    this.saved = [...this.registered.values()].map((a) => ({
      displayName: a.displayName,
      UUID: a.UUID,
      context: structuredClone(a.context),
      services: null,
    }));
    this.savedMatter = this.matter?.serialize() ?? [];
  }

  /** Requests of the running integrations still in flight: for a ManualClock's `busy`. */
  inFlight(): number {
    const integrations = (this.platform as unknown as { integrations: Map<string, { http?: { inFlight: number } }> }).integrations;
    let n = 0;
    for (const i of integrations?.values() ?? []) n += i.http?.inFlight ?? 0;
    return n;
  }

  /** Removes the storage dir (call after shutdown). */
  dispose(): void {
    rmSync(this.storage, { recursive: true, force: true });
  }

  accessories(): FakePlatformAccessory[] {
    return [...this.registered.values()];
  }

  byName(name: string): FakePlatformAccessory | undefined {
    return this.accessories().find((a) => a.displayName === name);
  }

  /** Reads a characteristic the way a HAP controller does: through its get handler. Returns the value or the HAP status. */
  async read(
    accessory: FakePlatformAccessory,
    service: hap.WithUUID<typeof hap.Service>,
    char: hap.WithUUID<new () => hap.Characteristic>,
    subtype?: string,
  ): Promise<{ value?: unknown; status?: number }> {
    const s = subtype ? accessory.getServiceById(service, subtype) : accessory.getService(service);
    if (!s) throw new Error(`no service on ${accessory.displayName}`);
    try {
      return { value: await s.getCharacteristic(char).handleGetRequest() };
    } catch (err) {
      return { status: typeof err === 'number' ? err : ((err as hap.HapStatusError).hapStatus ?? -1) };
    }
  }

  async write(
    accessory: FakePlatformAccessory,
    service: hap.WithUUID<typeof hap.Service>,
    char: hap.WithUUID<new () => hap.Characteristic>,
    value: hap.CharacteristicValue,
    subtype?: string,
  ): Promise<{ status?: number }> {
    const s = subtype ? accessory.getServiceById(service, subtype) : accessory.getService(service);
    if (!s) throw new Error(`no service on ${accessory.displayName}`);
    try {
      await s.getCharacteristic(char).handleSetRequest(value);
      return {};
    } catch (err) {
      return { status: typeof err === 'number' ? err : ((err as hap.HapStatusError).hapStatus ?? -1) };
    }
  }
}
