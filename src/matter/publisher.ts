import { describeError } from '../core/errors';
import type { Logger } from '../core/log';
import type { Command, Device } from '../core/model';
import { PLATFORM_NAME, PLUGIN_NAME } from '../settings';
import { type HubMatterAccessory, MatterBinder } from './binder';
import type { MatterAPI } from './homebridgeMatter';

/**
 * The Matter side of the platform: Homebridge's cache of Matter accessories and one MatterBinder per published device.
 * Each device is registered in a call of its own: Homebridge registers a list in one loop that stops at the first
 * accessory matter.js refuses, and its call resolves before the loop runs, so one bad device in a list would keep the
 * rest out without a word to us.
 */
export class MatterPublisher {
  private readonly cached = new Map<string, HubMatterAccessory>();
  private readonly binders = new Map<string, MatterBinder>();

  constructor(
    private readonly matter: MatterAPI,
    private readonly log: Logger,
  ) {}

  /** Homebridge's configureMatterAccessory: an accessory from its cache, before launch. */
  configure(accessory: HubMatterAccessory): void {
    this.cached.set(accessory.UUID, accessory);
  }

  cachedAccessories(): HubMatterAccessory[] {
    return [...this.cached.values()];
  }

  has(uuid: string): boolean {
    return this.binders.has(uuid);
  }

  get size(): number {
    return this.binders.size;
  }

  /** Registers the device (or attaches to its cached endpoint); false when Matter has nothing to show of it. */
  publish(uuid: string, integrationKey: string, device: Device, execute: (c: Command) => Promise<void>): boolean {
    const binder = new MatterBinder(this.matter, uuid, integrationKey, device, this.log, execute);
    if (!binder.publishable) {
      if (this.cached.has(uuid)) void this.unregister([uuid], device.name);
      return false;
    }
    this.binders.set(uuid, binder);
    void this.register(binder);
    return true;
  }

  update(uuid: string, device: Device): void {
    const binder = this.binders.get(uuid);
    if (!binder || binder.update(device)) return;
    // New endpoints or attributes (a cover that gained tilt): Homebridge re-registers a restored one by itself,
    // a live one must go and come back.
    binder.dispose();
    this.binders.delete(uuid);
    void this.unregister([uuid], device.name).then(() => this.publish(uuid, binder.integrationKey, device, binder.execute));
  }

  async remove(uuid: string, name: string): Promise<void> {
    this.binders.get(uuid)?.dispose();
    this.binders.delete(uuid);
    await this.unregister([uuid], name);
  }

  private async register(binder: MatterBinder, attempt = 0): Promise<void> {
    try {
      await this.matter.registerPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, [binder.accessory]);
    } catch (err) {
      // Homebridge refuses while its Matter server is still starting: try again shortly, for a minute at most.
      if (attempt < 60 && this.binders.get(binder.uuid) === binder) {
        setTimeout(() => void this.register(binder, attempt + 1), 1000).unref();
        return;
      }
      this.binders.delete(binder.uuid);
      this.log.error(`${binder.current.name}: not published over Matter: ${describeError(err)}`);
      return;
    }
    this.cached.delete(binder.uuid);
    // Homebridge puts its cached attribute values over the ones we registered with: ours are newer.
    if (this.binders.get(binder.uuid) === binder) binder.pushAll();
  }

  private async unregister(uuids: string[], name: string): Promise<void> {
    for (const uuid of uuids) this.cached.delete(uuid);
    try {
      await this.matter.unregisterPlatformAccessories(
        PLUGIN_NAME,
        PLATFORM_NAME,
        uuids.map((UUID) => ({ UUID }) as HubMatterAccessory),
      );
    } catch (err) {
      this.log.warn(`${name}: not removed from Matter: ${describeError(err)}`);
    }
  }
}
