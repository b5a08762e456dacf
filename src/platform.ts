import { setMaxListeners } from 'node:events';
import type { API, DynamicPlatformPlugin, Logging, PlatformAccessory, PlatformConfig } from 'homebridge';
import { type Clock, systemClock } from './core/clock';
import { describeError } from './core/errors';
import type { Logger } from './core/log';
import type { Device } from './core/model';
import { parseConfig, type ParsedConfig } from './config';
import { cleanName } from './homekit/names';
import { AccessoryBinder, type AccessoryContext, type HubAccessory } from './homekit/accessoryBinder';
import type { Integration } from './integrations/integration';
import { PLATFORM_NAME, PLUGIN_NAME } from './settings';

/** HomeKit refuses more than 149 accessories on one bridge; beyond this we warn. */
const ACCESSORY_LIMIT = 149;
const ACCESSORY_WARNING = 140;
/** Successful discoveries that must miss a device before its accessory is removed. */
const REMOVE_AFTER_MISSES = 2;

export class BuildingHubPlatform implements DynamicPlatformPlugin {
  private readonly cached = new Map<string, HubAccessory>();
  private readonly binders = new Map<string, AccessoryBinder>();
  /** Accessories whose context (last known state) changed since Homebridge last saved its cache. */
  private readonly dirty = new Set<HubAccessory>();
  private readonly integrations = new Map<string, Integration>();
  private readonly abort = new AbortController();
  private readonly config: ParsedConfig;
  private readonly log: Logger;
  private stopDemo?: () => Promise<void>;
  /** Settles when every integration made its first attempt (tests and the demo wait on it). */
  started: Promise<void> = Promise.resolve();
  /** Replaced by tests that run minutes of schedule in milliseconds. */
  protected clock: Clock = systemClock;

  constructor(
    hbLog: Logging,
    rawConfig: PlatformConfig,
    private readonly api: API,
  ) {
    this.config = parseConfig(rawConfig);
    // Every account hangs its loops and sockets off this one signal; dozens of listeners are expected.
    setMaxListeners(200, this.abort.signal);
    const debug = this.config.debug;
    this.log = {
      info: (m) => hbLog.info(m),
      warn: (m) => hbLog.warn(m),
      error: (m) => hbLog.error(m),
      // "debug": true shows the plugin's debug lines without starting Homebridge in debug mode.
      debug: (m) => (debug ? hbLog.info(m) : hbLog.debug(m)),
    };
    api.on('didFinishLaunching', () => {
      this.started = this.launch().catch((err) => this.log.error(`start-up failed: ${describeError(err)}`));
    });
    api.on('shutdown', () => this.shutdown());
  }

  configureAccessory(accessory: PlatformAccessory): void {
    this.cached.set(accessory.UUID, accessory as HubAccessory);
  }

  private async launch(): Promise<void> {
    for (const p of this.config.problems) this.log.error(`Configuration: ${p}`);
    let accounts = this.config.accounts;
    if (this.config.demo) {
      const { startDemo } = await import('./simulators/demo');
      const demo = await startDemo(this.abort.signal);
      this.stopDemo = demo.stop;
      accounts = [...accounts, ...demo.accounts];
      this.log.info(`Demo mode: simulated vendor services on ${demo.describe}`);
    }
    for (const { vendor, account, index } of this.config.accounts) {
      const url = (account as { baseUrl?: string }).baseUrl ?? '';
      if (url.startsWith('http://')) this.log.warn(`Configuration: ${vendor.configKey}[${index}] uses plain http:// (${new URL(url).host}); credentials travel unencrypted. Use https:// outside a test setup.`);
    }
    const context = { log: this.log, clock: this.clock, storagePath: this.api.user.storagePath() };
    for (const { vendor, account, index } of accounts) {
      try {
        const integration = vendor.create(account, context);
        if (this.integrations.has(integration.key)) {
          this.log.error(`Configuration: ${vendor.configKey}[${index}] is the same account as another one; give each a different "label". Skipped.`);
          continue;
        }
        this.integrations.set(integration.key, integration);
      } catch (err) {
        this.log.error(`Configuration: ${vendor.configKey}[${index}] skipped: ${describeError(err)}`);
      }
    }
    if (this.integrations.size === 0) {
      this.log.info(
        `No account is configured. Add one in the Homebridge UI (plugin settings of ${PLUGIN_NAME}) or in config.json under the "${PLATFORM_NAME}" platform: "homesmartlink", "overkiz", "harmonys", "baxo" or "festime". Set "demo": true to try it with simulated devices.`,
      );
    }
    this.restoreCached();
    // Eve wants an entry at least every 10 minutes, even when nothing changed.
    this.every(10 * 60_000, () => this.binders.forEach((b) => b.recordHistory()));
    // Homebridge saves the cache at shutdown; saving changed states every 5 minutes keeps them through a crash too.
    this.every(5 * 60_000, () => this.saveChanged());
    await Promise.all([...this.integrations.values()].map((i) => this.startIntegration(i)));
  }

  /** Binds every cached accessory to its last known device at once, so Home shows values before any network call. */
  private restoreCached(): void {
    const byIntegration = new Map<string, Device[]>();
    for (const accessory of this.cached.values()) {
      const ctx = accessory.context as Partial<AccessoryContext>;
      if (ctx.integrationKey && ctx.device && this.integrations.has(ctx.integrationKey)) {
        byIntegration.set(ctx.integrationKey, [...(byIntegration.get(ctx.integrationKey) ?? []), ctx.device]);
      }
    }
    for (const [key, devices] of byIntegration) this.integrations.get(key)?.restore(devices);
    let orphans = 0;
    for (const accessory of this.cached.values()) {
      const ctx = accessory.context as Partial<AccessoryContext>;
      if (!ctx.integrationKey || !ctx.device) continue;
      const integration = this.integrations.get(ctx.integrationKey);
      const deviceId = ctx.device.id;
      // The integration's copy: it puts momentary switches back at rest.
      const device = integration?.devices().find((d) => d.id === deviceId) ?? { ...ctx.device, available: false };
      if (!integration) orphans++;
      this.bind(accessory, device, ctx.integrationKey);
    }
    if (orphans > 0) {
      this.log.warn(
        `${orphans} cached accessor${orphans === 1 ? 'y belongs' : 'ies belong'} to an account that is not configured (or not valid) now; kept as No Response. Remove them in the Homebridge UI if the account is gone for good.`,
      );
    }
  }

  private async startIntegration(integration: Integration): Promise<void> {
    integration.onChange((deviceId) => this.onDeviceChange(integration, deviceId));
    integration.onDiscovery((ids) => this.reconcile(integration, ids));
    try {
      await integration.start(this.abort.signal);
    } catch (err) {
      this.log.error(`[${integration.vendor}] could not start: ${describeError(err)}`);
    }
    void this.seedHistories(integration);
  }

  /** Fills the Eve history of each accessory that keeps one with the vendor's last 24 h, once per start. */
  private async seedHistories(integration: Integration): Promise<void> {
    if (!integration.history) return;
    for (const binder of this.binders.values()) {
      if (binder.accessory.context.integrationKey !== integration.key || !binder.history) continue;
      try {
        binder.history.add(await integration.history(binder.current.id, this.abort.signal));
      } catch (err) {
        if (!this.abort.signal.aborted) this.log.warn(`[${integration.vendor}] ${binder.current.name}: history not loaded: ${describeError(err)}`);
      }
    }
  }

  private uuidOf(integrationKey: string, deviceId: string): string {
    return this.api.hap.uuid.generate(`${PLUGIN_NAME}:${integrationKey}:${deviceId}`);
  }

  private bind(accessory: HubAccessory, device: Device, integrationKey: string): AccessoryBinder {
    accessory.context.integrationKey = integrationKey;
    accessory.context.device = device;
    const binder = new AccessoryBinder(
      accessory,
      device,
      this.api.hap,
      this.log,
      async (command) => {
        const integration = this.integrations.get(integrationKey);
        if (!integration) throw new Error('this account is not configured');
        await integration.execute(device.id, command);
      },
      this.api.user.storagePath(),
      () => this.clock.now(),
    );
    this.binders.set(accessory.UUID, binder);
    return binder;
  }

  private onDeviceChange(integration: Integration, deviceId: string): void {
    const device = integration.devices().find((d) => d.id === deviceId);
    if (!device) return;
    const binder = this.binders.get(this.uuidOf(integration.key, deviceId));
    if (binder) {
      binder.update(device);
      this.dirty.add(binder.accessory);
    } else this.publish(integration, device);
  }

  /** A periodic task on the platform's clock, stopped by shutdown, never throwing out of its loop. */
  private every(ms: number, task: () => void): void {
    void (async () => {
      while (!this.abort.signal.aborted) {
        await this.clock.sleep(ms, this.abort.signal).catch(() => undefined);
        if (this.abort.signal.aborted) return;
        try {
          task();
        } catch (err) {
          this.log.debug(`periodic task failed: ${describeError(err)}`);
        }
      }
    })();
  }

  private saveChanged(): void {
    if (this.dirty.size === 0) return;
    const changed = [...this.dirty].filter((a) => this.binders.has(a.UUID));
    this.dirty.clear();
    if (changed.length) this.api.updatePlatformAccessories(changed);
  }

  private publish(integration: Integration, device: Device): void {
    if (this.binders.size >= ACCESSORY_LIMIT) {
      this.log.error(`${device.name}: not published, this bridge already has ${ACCESSORY_LIMIT} accessories (HomeKit's limit). Run an account as a child bridge or exclude devices.`);
      return;
    }
    if (this.binders.size === ACCESSORY_WARNING) this.log.warn(`This bridge has ${ACCESSORY_WARNING} accessories; HomeKit accepts ${ACCESSORY_LIMIT}. Consider child bridges.`);
    const uuid = this.uuidOf(integration.key, device.id);
    const accessory = new this.api.platformAccessory<AccessoryContext>(cleanName(device.name), uuid);
    accessory.context = { integrationKey: integration.key, device };
    this.bind(accessory, device, integration.key);
    this.api.registerPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, [accessory]);
    this.log.info(`[${integration.vendor}] ${device.name}: added (${device.model})`);
  }

  /** After a successful discovery: count misses; remove only after REMOVE_AFTER_MISSES in a row. */
  private reconcile(integration: Integration, ids: string[]): void {
    const present = new Set(ids.map((id) => this.uuidOf(integration.key, id)));
    const removed: PlatformAccessory[] = [];
    const updated: PlatformAccessory[] = [];
    for (const [uuid, binder] of this.binders) {
      const accessory = binder.accessory;
      if (accessory.context.integrationKey !== integration.key) continue;
      if (present.has(uuid)) {
        if (accessory.context.missing) {
          accessory.context.missing = 0;
          updated.push(accessory);
        }
        continue;
      }
      accessory.context.missing = (accessory.context.missing ?? 0) + 1;
      if (accessory.context.missing >= REMOVE_AFTER_MISSES) {
        removed.push(accessory);
        this.binders.delete(uuid);
        this.log.info(`[${integration.vendor}] ${accessory.displayName}: removed (the vendor no longer lists it on two discoveries in a row)`);
      } else updated.push(accessory);
    }
    for (const id of ids) {
      const device = integration.devices().find((d) => d.id === id);
      if (device && !this.binders.has(this.uuidOf(integration.key, id))) this.publish(integration, device);
    }
    if (removed.length) this.api.unregisterPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, removed);
    if (updated.length) this.api.updatePlatformAccessories(updated);
  }

  private shutdown(): void {
    this.abort.abort();
    void this.stopDemo?.();
  }
}
