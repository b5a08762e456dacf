import { setMaxListeners } from 'node:events';
import type { API, DynamicPlatformPlugin, Logging, PlatformAccessory, PlatformConfig } from 'homebridge';
import { type Clock, systemClock } from './core/clock';
import { describeError } from './core/errors';
import { DeviceLifecycle } from './core/lifecycle';
import type { Logger } from './core/log';
import { oneLine } from './core/log';
import { deviceFilter } from './core/deviceFilter';
import type { Command, Device } from './core/model';
import { parseAccounts, parsePlatform, type ParsedConfig } from './config';
import { SecretStore } from './core/secretStore';
import { startInTurns, TimeSlicer } from './core/slices';
import { cleanName } from './homekit/names';
import { AccessoryBinder, type AccessoryContext, type HubAccessory } from './homekit/accessoryBinder';
import type { HubMatterAccessory } from './matter/binder';
import type { HomebridgeAPI, MatterAccessory } from './matter/homebridgeMatter';
import type { MatterPublisher } from './matter/publisher';
import { VENDORS } from './integrations';
import type { Integration } from './integrations/integration';
import { PLATFORM_NAME, PLUGIN_NAME } from './settings';

/** HomeKit refuses more than 149 accessories on one bridge; beyond this we warn. */
const ACCESSORY_LIMIT = 149;
/** From this many accessories on one bridge, one warning names the accounts that could move to a child bridge. */
const ACCESSORY_WARNING = 130;
/** Accounts whose first read runs at the same time, at start-up. */
const START_AT_ONCE = 16;
/** An account whose first read takes longer than this lets the next one start. */
const START_RELEASE_MS = 2_000;

export class BuildingHubPlatform implements DynamicPlatformPlugin {
  private readonly cached = new Map<string, HubAccessory>();
  private readonly binders = new Map<string, AccessoryBinder>();
  /** Accessories whose context (last known state) changed since Homebridge last saved its cache. */
  private readonly dirty = new Set<HubAccessory>();
  private readonly integrations = new Map<string, Integration>();
  /** Each account's include / exclude settings, by integration key. */
  private readonly filters = new Map<string, (d: Device) => boolean>();
  private readonly lifecycles = new Map<string, DeviceLifecycle>();
  /** Where each account's devices appear: HAP, Matter or both (the account's "expose", when Matter is on). */
  private readonly exposure = new Map<string, { hap: boolean; matter: boolean }>();
  /** Defined when Homebridge runs Matter for this bridge. */
  private readonly matter?: MatterPublisher;
  /** Accessories whose HomeKit glue threw: logged once each. */
  private readonly glueFailures = new Set<string>();
  private readonly abort = new AbortController();
  /**
   * One per account, aborted with the platform's: each account's loops and sockets listen to a signal of their own.
   * Thousands of listeners on one shared signal make every added listener slower (Node walks the list).
   */
  private readonly accountAborts = new Map<string, AbortController>();
  /** The platform's own settings from the start; its accounts are parsed at launch (in slices when there are many). */
  private readonly config: ParsedConfig;
  private readonly secrets: SecretStore;
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
    this.config = parsePlatform(rawConfig, VENDORS);
    this.secrets = new SecretStore(api.user.storagePath(), hbLog);
    const debug = this.config.debug;
    // Every line is one line: vendor names end up in them (see oneLine).
    this.log = {
      info: (m) => hbLog.info(oneLine(m)),
      warn: (m) => hbLog.warn(oneLine(m)),
      error: (m) => hbLog.error(oneLine(m)),
      // "debug": true shows the plugin's debug lines without starting Homebridge in debug mode.
      debug: (m) => (debug ? hbLog.info(oneLine(m)) : hbLog.debug(oneLine(m))),
    };
    const { matter } = api as HomebridgeAPI;
    if (matter) {
      // Matter's code is loaded only where Homebridge runs Matter for this bridge (memory); a constructor cannot await.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { MatterPublisher } = require('./matter/publisher') as typeof import('./matter/publisher');
      this.matter = new MatterPublisher(matter, this.log);
    }
    api.on('didFinishLaunching', () => {
      this.started = this.launch(rawConfig).catch((err) => this.log.error(`start-up failed: ${describeError(err)}`));
    });
    api.on('shutdown', () => this.shutdown());
  }

  configureAccessory(accessory: PlatformAccessory): void {
    this.cached.set(accessory.UUID, accessory as HubAccessory);
  }

  configureMatterAccessory(accessory: MatterAccessory): void {
    // Ours carry an AccessoryContext; restoreMatterCached checks it before use.
    this.matter?.configure(accessory as HubMatterAccessory);
  }

  private async launch(rawConfig: PlatformConfig): Promise<void> {
    // Thousands of accounts are parsed, created and started in slices: the event loop is never held for long.
    // Without a pause (a few accounts) all of it runs in one go, up to the first request.
    const slicer = new TimeSlicer();
    const config = this.config;
    for (const step of parseAccounts(rawConfig, VENDORS, this.secrets, config)) {
      void step;
      const turn = slicer.turn();
      if (turn) await turn;
    }
    for (const p of config.problems) this.log.error(`Configuration: ${p}`);
    for (const w of config.warnings) this.log.warn(`Configuration: ${w}`);
    for (const n of config.notes) this.log.debug(`Configuration: ${n}`);
    let accounts = config.accounts;
    if (config.demo) {
      const { startDemo } = await import('./simulators/demo');
      const demo = await startDemo(this.abort.signal);
      this.stopDemo = demo.stop;
      accounts = [...accounts, ...demo.accounts];
      this.log.info(`Demo mode: simulated vendor services on ${demo.describe}`);
    }
    for (const { vendor, account, index } of config.accounts) {
      if (!account.baseUrl.startsWith('http://')) continue;
      this.log.warn(
        `Configuration: ${vendor.configKey}[${index}] uses plain http:// (${new URL(account.baseUrl).host}); ` +
          'credentials travel unencrypted. Use https:// outside a test setup.',
      );
    }
    const context = { log: this.log, clock: this.clock, storagePath: this.api.user.storagePath() };
    for (const { vendor, account, index } of accounts) {
      const turn = slicer.turn();
      if (turn) await turn;
      try {
        const integration = vendor.create(account, context);
        if (this.integrations.has(integration.key)) {
          this.log.error(
            `Configuration: ${vendor.configKey}[${index}] is the same account as another one; give each a different "label". Skipped.`,
          );
          continue;
        }
        this.integrations.set(integration.key, integration);
        this.exposure.set(integration.key, exposure(account.expose, this.matter !== undefined));
        this.filters.set(integration.key, deviceFilter(account));
        this.lifecycles.set(integration.key, this.lifecycleOf(integration));
      } catch (err) {
        this.log.error(`Configuration: ${vendor.configKey}[${index}] skipped: ${describeError(err)}`);
      }
    }
    if (this.integrations.size === 0) {
      const keys = VENDORS.map((v) => `"${v.configKey}"`).join(', ');
      this.log.info(
        `No account is configured. Add one in the Homebridge UI (plugin settings of ${PLUGIN_NAME}) or in config.json under ` +
          `the "${PLATFORM_NAME}" platform: ${keys}. Set "demo": true to try it with simulated devices.`,
      );
    }
    this.warnMatterOff(accounts.filter((a) => a.account.expose !== 'hap').map((a) => `${a.vendor.configKey}[${a.index}]`));
    this.restoreCached();
    this.restoreMatterCached();
    // Eve wants an entry at least every 10 minutes, even when nothing changed.
    this.every(10 * 60_000, () => this.binders.forEach((b) => b.recordHistory()));
    // Homebridge saves the cache at shutdown; saving changed states every 5 minutes keeps them through a crash too.
    this.every(5 * 60_000, () => this.saveChanged());
    // A few accounts start at once (each one's first read released its place, or START_RELEASE_MS went by): many
    // accounts do not open thousands of connections in the same instant.
    await startInTurns(this.integrations.values(), (i) => this.startIntegration(i), {
      max: START_AT_ONCE,
      releaseMs: START_RELEASE_MS,
      clock: this.clock,
    });
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
    for (const accessory of [...this.cached.values()]) {
      const ctx = accessory.context as Partial<AccessoryContext>;
      if (!ctx.integrationKey || !ctx.device) continue;
      const key = ctx.integrationKey;
      if (this.integrations.has(key) && (!this.shown(key, ctx.device) || !this.exposure.get(key)?.hap)) {
        this.cached.delete(accessory.UUID);
        this.api.unregisterPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, [accessory]);
        const why = this.exposure.get(key)?.hap
          ? "removed (left out by the account's include / exclude settings)"
          : 'removed from HomeKit (the account is on Matter only)';
        this.log.info(`${accessory.displayName}: ${why}`);
        continue;
      }
      const integration = this.integrations.get(key);
      const deviceId = ctx.device.id;
      // The integration's copy: it puts momentary switches back at rest.
      const device = integration?.device(deviceId) ?? { ...ctx.device, available: false };
      if (!integration) orphans++;
      this.lifecycles.get(key)?.track(deviceId);
      this.guard(accessory.displayName, () => this.bind(accessory, device, key));
    }
    if (orphans > 0) {
      this.log.warn(
        `${orphans} cached accessor${orphans === 1 ? 'y belongs' : 'ies belong'} to an account that is not configured ` +
          `(or not valid) now; kept as No Response. Remove them in the Homebridge UI if the account is gone for good.`,
      );
    }
  }

  /**
   * Cached Matter accessories get their handlers back at once (Homebridge keeps their endpoints and last states); those
   * of an account that no longer shows them go; those of an account that is not configured stay as they are.
   */
  private restoreMatterCached(): void {
    if (!this.matter) return;
    for (const accessory of this.matter.cachedAccessories()) {
      const ctx = accessory.context as Partial<AccessoryContext>;
      const integration = ctx.integrationKey ? this.integrations.get(ctx.integrationKey) : undefined;
      if (!integration || !ctx.device) continue;
      const device = integration.device(ctx.device.id) ?? { ...ctx.device, available: false };
      if (this.exposure.get(integration.key)?.matter && this.shown(integration.key, device) && this.matterAllowed(device)) {
        this.lifecycles.get(integration.key)?.track(device.id);
        this.guard(device.name, () => this.publishMatter(integration, device));
      } else {
        void this.matter.remove(accessory.UUID, accessory.displayName);
        this.log.info(`${accessory.displayName}: removed from Matter (not on Matter for this account now)`);
      }
    }
  }

  /** "expose" asked for Matter where it is not running: one line for all such accounts, and they use HAP. */
  private warnMatterOff(accounts: string[]): void {
    if (this.matter || accounts.length === 0) return;
    const why = this.api.versionGreaterOrEqual?.('2.0.0') ? 'Matter is not enabled for this bridge' : 'this Homebridge has no Matter';
    this.log.warn(`Configuration: ${accounts.join(', ')} ask for Matter, but ${why}; their devices are published over HAP.`);
  }

  /** Harmonys alert buttons (and any device marked so) only over Matter when the user listed them for it. */
  private matterAllowed(device: Device): boolean {
    return device.matterHidden !== true;
  }

  private lifecycleOf(integration: Integration): DeviceLifecycle {
    const prefix = `[${integration.vendor}]`;
    return new DeviceLifecycle(this.clock, this.accountSignal(integration.key), {
      remove: (id) => this.remove(integration, id),
      rediscover: () => integration.rediscover(),
      log: { info: (m) => this.log.info(`${prefix} ${m}`), warn: (m) => this.log.warn(`${prefix} ${m}`) },
      describe: (id) => this.binders.get(this.uuidOf(integration.key, id))?.accessory.displayName ?? id,
      permanent: (id) => integration.isPermanent(id),
    });
  }

  /**
   * The boundary between the vendor loops and the HomeKit glue: an exception in the glue is logged once for that
   * accessory and never reaches the vendor loop, so the other accessories keep updating.
   */
  private guard(name: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      if (this.glueFailures.has(name)) return;
      this.glueFailures.add(name);
      this.log.error(`${name}: could not be updated in HomeKit: ${describeError(err)}`);
    }
  }

  private async startIntegration(integration: Integration): Promise<void> {
    integration.onChange((deviceId) => this.onDeviceChange(integration, deviceId));
    integration.onDiscovery((ids) => this.reconcile(integration, ids));
    try {
      await integration.start(this.accountSignal(integration.key));
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
        binder.history.add(await integration.history(binder.current.id, this.accountSignal(integration.key)));
      } catch (err) {
        if (!this.abort.signal.aborted)
          this.log.warn(`[${integration.vendor}] ${binder.current.name}: history not loaded: ${describeError(err)}`);
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
      this.executor(integrationKey, device.id),
      this.api.user.storagePath(),
      () => this.clock.now(),
    );
    this.binders.set(accessory.UUID, binder);
    return binder;
  }

  /** The same write path for HAP and Matter: the integration batches and answers either alike. */
  private executor(integrationKey: string, deviceId: string): (command: Command) => Promise<void> {
    return async (command) => {
      const integration = this.integrations.get(integrationKey);
      if (!integration) throw new Error('this account is not configured');
      await integration.execute(deviceId, command);
    };
  }

  /** Updates the accessories of a device; a device without one waits for a discovery that lists it. */
  private onDeviceChange(integration: Integration, deviceId: string): void {
    const uuid = this.uuidOf(integration.key, deviceId);
    const device = integration.device(deviceId);
    if (!device) return;
    if (this.matter?.has(uuid)) this.guard(device.name, () => this.matter?.update(uuid, device));
    const binder = this.binders.get(uuid);
    if (!binder) return;
    this.guard(binder.accessory.displayName, () => binder.update(device));
    this.dirty.add(binder.accessory);
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
      this.log.error(
        `${device.name}: not published, this bridge already has ${ACCESSORY_LIMIT} ` +
          `accessories (HomeKit's limit). Run an account as a child bridge or exclude devices.`,
      );
      return;
    }
    if (this.binders.size === ACCESSORY_WARNING) this.warnNearLimit();
    const uuid = this.uuidOf(integration.key, device.id);
    const accessory = new this.api.platformAccessory<AccessoryContext>(cleanName(device.name), uuid);
    accessory.context = { integrationKey: integration.key, device };
    this.bind(accessory, device, integration.key);
    this.lifecycles.get(integration.key)?.track(device.id);
    this.api.registerPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, [accessory]);
    this.log.info(`[${integration.vendor}] ${device.name}: added (${device.model})`);
  }

  private publishMatter(integration: Integration, device: Device): void {
    const uuid = this.uuidOf(integration.key, device.id);
    if (this.matter?.publish(uuid, integration.key, device, this.executor(integration.key, device.id)))
      this.log.info(`[${integration.vendor}] ${device.name}: added over Matter (${device.model})`);
    else this.log.debug(`[${integration.vendor}] ${device.name}: nothing Matter can show (${device.model}); HAP only`);
  }

  private shown(key: string, device: Device): boolean {
    return this.filters.get(key)?.(device) ?? true;
  }

  /** Near HAP's limit: which accounts hold the accessories, so the user knows which to move to a child bridge. */
  private warnNearLimit(): void {
    const per = new Map<string, number>();
    for (const b of this.binders.values()) {
      const key = b.accessory.context.integrationKey;
      per.set(key, (per.get(key) ?? 0) + 1);
    }
    const accounts = [...per]
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `${key} (${n})`)
      .join(', ');
    const head = `This bridge has ${ACCESSORY_WARNING} accessories; HomeKit accepts ${ACCESSORY_LIMIT}.`;
    // One account on this bridge (often a child bridge already): moving it elsewhere would not help.
    const advice =
      per.size > 1
        ? `Accounts that could each run on a child bridge of their own (README: "Many devices"): ${accounts}.`
        : `${accounts} is the only account here: split its devices over two platform blocks with "include" ` +
          '(each a child bridge, README: "Many devices"), or show them over Matter ("expose", up to 1,000).';
    this.log.warn(`${head} ${advice} Or leave devices out with "exclude".`);
  }

  /** After a successful discovery: publish what is new; the lifecycle decides what is gone. */
  private reconcile(integration: Integration, ids: string[]): void {
    const lifecycle = this.lifecycles.get(integration.key);
    if (!lifecycle) return;
    const exposure = this.exposure.get(integration.key) ?? { hap: true, matter: false };
    for (const id of lifecycle.discovered(ids)) {
      const device = integration.device(id);
      if (!device || !this.shown(integration.key, device)) continue;
      const uuid = this.uuidOf(integration.key, id);
      if (exposure.hap && !this.binders.has(uuid)) this.guard(device.name, () => this.publish(integration, device));
      if (exposure.matter && this.matterAllowed(device) && !this.matter?.has(uuid))
        this.guard(device.name, () => this.publishMatter(integration, device));
    }
  }

  private remove(integration: Integration, id: string): void {
    const uuid = this.uuidOf(integration.key, id);
    const binder = this.binders.get(uuid);
    const name = integration.device(id)?.name ?? id;
    integration.forget(id);
    if (this.matter?.has(uuid)) {
      void this.matter.remove(uuid, name);
      this.log.info(`[${integration.vendor}] ${name}: removed from Matter (the vendor no longer lists it)`);
    }
    if (!binder) return;
    this.binders.delete(uuid);
    this.dirty.delete(binder.accessory);
    this.api.unregisterPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, [binder.accessory]);
    this.log.info(`[${integration.vendor}] ${binder.accessory.displayName}: removed (the vendor no longer lists it)`);
  }

  private accountSignal(key: string): AbortSignal {
    let controller = this.accountAborts.get(key);
    if (!controller) {
      this.accountAborts.set(key, (controller = new AbortController()));
      // An account's loops, sockets, batches and lifecycle timers: more than the default 10 listeners is expected.
      setMaxListeners(100, controller.signal);
    }
    return controller.signal;
  }

  private shutdown(): void {
    this.abort.abort();
    for (const controller of this.accountAborts.values()) controller.abort();
    void this.stopDemo?.();
  }
}

/** Matter only where Homebridge runs it; otherwise the account falls back to HAP (warnMatterOff says so once). */
function exposure(expose: 'hap' | 'matter' | 'both', matterOn: boolean): { hap: boolean; matter: boolean } {
  if (!matterOn) return { hap: true, matter: false };
  return { hap: expose !== 'matter', matter: expose !== 'hap' };
}
