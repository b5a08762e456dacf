import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describeError, RejectedError } from '../../core/errors';
import type { Command, Device, SecurityArm } from '../../core/model';
import type { PollLoop } from '../../core/pollLoop';
import type { DeviceWrites, WriteBatcher } from '../../core/writeBatcher';
import { BaseIntegration } from '../base';
import type { IntegrationContext } from '../integration';
import { OverkizClient, type OverkizEvent, type OverkizLogin } from './client';
import { mapOverkizDevice, mappingFor, overkizActionCommands, overkizCommands, pairedSensor } from './devices';
import { kindOf } from './families';
import type { MapOptions } from './families';
import { baseOf, partsOf, withParts } from './grouping';
import { priorityLock } from './priorityLock';
import { HIDDEN_UI_CLASSES, NOT_YET_MAPPED } from './hidden';
import { ListenerLostError, SessionExpiredError } from './errors';
import { type OverkizDevice, type OverkizSetup, setupSchema } from './schemas';
import { StateReader, withStates } from './states';
import type { OverkizAccount } from './account';

const SCENARIO_PREFIX = 'scenario:';

export class OverkizIntegration extends BaseIntegration {
  readonly client: OverkizClient;
  private readonly poll: PollLoop;
  private readonly writes: WriteBatcher;
  private readonly cacheFile: string;
  private raw = new Map<string, OverkizDevice>();
  /** Device URLs by base URL (the part before "#"): the sub-devices of one appliance. */
  private families = new Map<string, string[]>();
  private setupLoaded = false;
  private listenerId?: string;
  private readonly assumed = new Map<string, number>();
  /** Alarms that report no state: what Home last asked. */
  private readonly assumedAlarms = new Map<string, SecurityArm>();
  /** Targets asked from Home whose execution has not ended yet. */
  private readonly commanded = new Map<string, number>();
  /** execId -> device URLs; device URL -> its running execId */
  private readonly execs = new Map<string, string[]>();
  private readonly runningByDevice = new Map<string, string>();
  /** The capabilities the running execution of a device writes: they fault if it fails. */
  private readonly runningCapabilities = new Map<string, string[]>();
  private scenarios: Array<{ oid: string; label: string }> = [];

  constructor(
    private readonly account: OverkizAccount,
    ctx: IntegrationContext,
  ) {
    super(ctx, {
      key: `overkiz:${account.label ?? account.username ?? new URL(account.baseUrl).host}`,
      vendor: 'Overkiz',
      label: account.label ?? 'Overkiz',
      secrets: [account.password, account.token, account.jwt, account.accessToken, account.ssoToken],
      http: {
        baseUrl: account.baseUrl,
        caCertificate: account.caCertificate,
        certificateFingerprint: account.certificateFingerprint,
        maxConcurrent: 2,
      },
    });
    const login: OverkizLogin | undefined = account.token
      ? undefined
      : account.jwt
        ? { jwt: account.jwt }
        : account.accessToken
          ? { accessToken: account.accessToken }
          : account.ssoToken
            ? { userId: account.username ?? '', ssoToken: account.ssoToken }
            : { userId: account.username ?? '', userPassword: account.password ?? '' };
    this.client = new OverkizClient(this.http, { login, bearer: account.token, setupOID: account.setupOID });
    // Events first: one fetch per interval (1 s by default, never faster); failures back off.
    this.poll = this.poller({
      what: 'reading Overkiz events',
      intervalMs: Math.max(1000, account.pollIntervalSeconds * 1000),
      refresh: (signal) => this.cycle(signal),
    });
    this.writes = this.writeBatcher({ windowMs: account.commandWindowMs, maxWaitMs: 1000, send: (batch) => this.sendBatch(batch) });
    const id = createHash('sha256').update(this.key).digest('hex').slice(0, 16);
    this.cacheFile = join(ctx.storagePath, 'building-hub', `overkiz-setup-${id}.json`);
  }

  async start(signal: AbortSignal): Promise<void> {
    this.loadCachedSetup();
    await this.startLoops(signal, this.poll);
  }

  async execute(deviceId: string, command: Command): Promise<void> {
    if (deviceId.startsWith(SCENARIO_PREFIX)) {
      if (command.type !== 'setOn' || !command.on) return;
      await this.client.runActionGroup(deviceId.slice(SCENARIO_PREFIX.length), this.signal);
      return;
    }
    const raw = this.raw.get(deviceId);
    if (!raw) throw new RejectedError(`unknown device ${deviceId}`);
    const lock = priorityLock(raw);
    if (lock.locked && !lock.overridable) throw new RejectedError(`${raw.label} is ${lock.why}: the command was not sent`);
    // Validated now (throws when the device cannot do it); sent with the batch, answered to HomeKit at once.
    overkizCommands(raw, command, this.mapOptions());
    this.queueWrite(this.writes, deviceId, command);
    this.rememberTarget(deviceId, command);
  }

  /** Reads the setup again at the next cycle: a full discovery, at the cost of one /setup read. */
  override rediscover(): void {
    this.setupLoaded = false;
  }

  // ---- the event loop ----

  private async cycle(signal: AbortSignal): Promise<void> {
    try {
      await this.ensureSession(signal);
      await this.readEvents(signal);
    } catch (err) {
      if (err instanceof SessionExpiredError) {
        // Log in once, register again, and read on; a second failure waits for the backoff.
        this.client.dropSession();
        this.listenerId = undefined;
        await this.ensureSession(signal);
        await this.readEvents(signal);
      } else if (err instanceof ListenerLostError) {
        this.listenerId = undefined;
        await this.ensureSession(signal);
        await this.readEvents(signal);
      } else throw err;
    }
  }

  private async ensureSession(signal: AbortSignal): Promise<void> {
    if (!this.client.hasSession) {
      await this.client.login(signal);
      this.setupLoaded = false;
      this.log.debug('logged in');
    }
    if (!this.setupLoaded) {
      this.applySetup(await this.client.setup(signal), true);
      this.setupLoaded = true;
      if (this.account.exposeScenarios)
        this.scenarios = (await this.client.actionGroups(signal)).map((g) => ({ oid: g.oid, label: g.label }));
      this.publishAll(true);
    }
    if (!this.listenerId) this.listenerId = await this.client.register(signal);
  }

  private async readEvents(signal: AbortSignal): Promise<void> {
    if (!this.listenerId) return;
    const events = await this.client.fetch(this.listenerId, signal);
    for (const e of events) this.onEvent(e);
  }

  // ---- setup and devices ----

  private applySetup(setup: OverkizSetup, fresh: boolean): void {
    const excluded = new Set(this.account.exclude);
    const deadGateways = setup.gateways.filter((g) => g.alive === false).map((g) => g.gatewayId);
    for (const g of deadGateways) this.log.warn(`gateway ${g} is not alive: its devices show No Response`);
    const onDeadGateway = (url: string) => deadGateways.some((g) => url.includes(`://${g}/`));
    this.raw = new Map(
      setup.devices
        .filter((d) => !excluded.has(d.deviceURL) && !excluded.has(d.label))
        .map((d) => [d.deviceURL, onDeadGateway(d.deviceURL) ? { ...d, available: false } : d]),
    );
    this.families = new Map();
    for (const url of this.raw.keys()) this.families.set(baseOf(url), [...(this.families.get(baseOf(url)) ?? []), url]);
    for (const d of this.raw.values()) {
      if (mappingFor(d)) continue;
      const { uiClass, widget } = kindOf(d);
      const why =
        HIDDEN_UI_CLASSES[uiClass] ?? (NOT_YET_MAPPED[uiClass] ? `not supported yet: ${NOT_YET_MAPPED[uiClass]}` : 'unknown kind');
      this.once(`unknown:${uiClass}/${widget}`, () =>
        this.log.debug(`not exposed: uiClass ${uiClass || '?'} widget ${widget || '?'} (${d.label}): ${why}`),
      );
    }
    if (fresh) this.saveSetup(setup);
  }

  private mapOne(d: OverkizDevice): Device | undefined {
    const paired = kindOf(d).uiClass === 'HeatingSystem' ? this.pairedTemperature(d) : undefined;
    return mapOverkizDevice(d, { ...this.mapOptions(), pairedTemperature: paired });
  }

  private mapOptions(): MapOptions {
    return {
      assumedPositions: this.assumed,
      assumedAlarms: this.assumedAlarms,
      alarmDisarmFromHome: this.account.alarmDisarmFromHome,
      commandedTargets: this.commanded,
      myPositionSwitch: this.account.myPositionSwitch,
      heatingLevelSwitches: this.account.heatingLevelSwitches,
      lowSpeedShutters: this.account.lowSpeedShutters,
      exposeSirens: this.account.exposeSirens,
    };
  }

  /** The accessories of one base URL: each appliance with its parts (grouping.ts), the other devices alone. */
  private mapFamily(urls: readonly string[]): Device[] {
    const members = urls.flatMap((url) => this.raw.get(url) ?? []);
    const mapped = new Map(
      members.flatMap((m) => {
        const d = this.mapOne(m);
        return d ? [[m.deviceURL, d] as const] : [];
      }),
    );
    const owners = new Map([...partsOf(members)].filter(([, owner]) => mapped.has(owner)));
    const out: Device[] = [];
    for (const [url, device] of mapped) {
      if (owners.has(url)) continue;
      const parts = [...owners]
        .filter(([, owner]) => owner === url)
        .flatMap(([part]) => {
          const d = mapped.get(part);
          return d ? [{ url: part, device: d }] : [];
        });
      const raw = this.raw.get(url);
      const reads = raw && device.capabilities.some((c) => c.kind === 'thermostat') ? pairedSensor(raw, members)?.deviceURL : undefined;
      out.push(parts.length > 0 ? withParts(device, parts, reads) : device);
    }
    return out;
  }

  private mapped(): Device[] {
    const out: Device[] = [];
    for (const urls of this.families.values()) out.push(...this.mapFamily(urls));
    for (const s of this.scenarios) {
      out.push({
        id: `${SCENARIO_PREFIX}${s.oid}`,
        name: s.label,
        manufacturer: 'Overkiz',
        model: 'Scenario',
        serial: s.oid,
        available: true,
        capabilities: [{ kind: 'switch', id: 'run', name: s.label, on: false, momentary: true }],
      });
    }
    return out;
  }

  /** A heater's room temperature lives on a sub-device of the same base URL (see pairedSensor). */
  private pairedTemperature(heater: OverkizDevice): number | undefined {
    const members = (this.families.get(baseOf(heater.deviceURL)) ?? []).flatMap((url) => this.raw.get(url) ?? []);
    const sensor = pairedSensor(heater, members);
    return sensor && new StateReader(sensor).number('core:TemperatureState');
  }

  private publishAll(discovery: boolean): void {
    const devices = this.mapped();
    if (discovery) this.discovered(devices);
    else this.store.upsert(devices);
  }

  /** Re-maps only the family of the device an event concerns (a heater shows its parts and its sensor's reading). */
  private publishOne(url: string): void {
    if (!this.raw.has(url)) return;
    this.store.upsert(this.mapFamily(this.families.get(baseOf(url)) ?? [url]));
  }

  private onEvent(e: OverkizEvent): void {
    const ev = e as Record<string, unknown>;
    switch (e.name) {
      case 'DeviceStateChangedEvent': {
        const url = String(ev.deviceURL ?? '');
        const d = this.raw.get(url);
        if (!d) return;
        this.raw.set(url, withStates(d, ev.deviceStates));
        this.publishOne(url);
        return;
      }
      case 'ExecutionStateChangedEvent':
        return this.onExecution(ev);
      case 'DeviceAvailableEvent':
      case 'DeviceUnavailableEvent': {
        const url = String(ev.deviceURL ?? '');
        const d = this.raw.get(url);
        if (d) {
          this.raw.set(url, { ...d, available: e.name === 'DeviceAvailableEvent' });
          this.publishOne(url);
        }
        return;
      }
      case 'GatewayDownEvent':
      case 'GatewayAliveEvent': {
        const gateway = String(ev.gatewayId ?? '');
        for (const [url, d] of this.raw)
          if (url.includes(`://${gateway}/`)) this.raw.set(url, { ...d, available: e.name === 'GatewayAliveEvent' });
        this.log.warn(`gateway ${gateway} is ${e.name === 'GatewayDownEvent' ? 'down' : 'alive again'}`);
        this.publishAll(false);
        return;
      }
      case 'DeviceRemovedEvent':
      case 'DeviceCreatedEvent':
      case 'DeviceUpdatedEvent':
        // Read the setup again at the next cycle: the vendor confirms what changed.
        this.setupLoaded = false;
        return;
    }
  }

  private onExecution(ev: Record<string, unknown>): void {
    const execId = String(ev.execId ?? '');
    const state = String(ev.newState ?? '');
    if (state !== 'COMPLETED' && state !== 'FAILED') return;
    const urls = this.execs.get(execId) ?? [];
    this.execs.delete(execId);
    for (const url of urls) {
      if (this.runningByDevice.get(url) !== execId) continue;
      this.runningByDevice.delete(url);
      this.commanded.delete(url);
      if (state === 'COMPLETED') {
        this.runningCapabilities.delete(url);
        this.publishOne(url);
      }
    }
    if (state === 'FAILED' && ev.failureType !== 'CMDCANCELLED') {
      const listed = Array.isArray(ev.failedCommands) ? (ev.failedCommands as Array<{ deviceURL?: unknown; failureType?: unknown }>) : [];
      const reasons = new Map(
        listed.filter((f) => f && typeof f.deviceURL === 'string').map((f) => [f.deviceURL as string, String(f.failureType ?? '')]),
      );
      for (const url of urls) {
        this.assumed.delete(url);
        this.commanded.delete(url);
        // Targets fall back to what the device reports; the service faults until a write succeeds.
        this.publishOne(url);
        const capabilities = this.runningCapabilities.get(url) ?? [];
        this.writeFailedLater(url, capabilities, 'the command', reasons.get(url) || String(ev.failureType ?? 'unknown failure'));
      }
    }
  }

  // ---- commands ----

  /** One /exec/apply for the whole batch: one action per device holding all its merged commands. */
  private async sendBatch(batch: DeviceWrites[]): Promise<void> {
    const actions = batch.flatMap((w) => {
      const raw = this.raw.get(w.deviceId);
      return raw ? [{ deviceURL: w.deviceId, commands: overkizActionCommands(raw, w.commands, this.mapOptions()) }] : [];
    });
    // A device under a user-level priority lock goes through /exec/apply/highPriority, in an execution of its own.
    const locked = (url: string) => {
      const raw = this.raw.get(url);
      return raw !== undefined && priorityLock(raw).locked;
    };
    try {
      await this.apply(actions.filter((a) => !locked(a.deviceURL)));
      await this.apply(
        actions.filter((a) => locked(a.deviceURL)),
        true,
      );
      for (const w of batch) this.runningCapabilities.set(w.deviceId, [...new Set(w.commands.map((c) => c.capabilityId))]);
    } catch (err) {
      for (const a of actions) {
        this.commanded.delete(a.deviceURL);
        this.assumed.delete(a.deviceURL);
        this.publishOne(a.deviceURL);
      }
      throw err;
    }
  }

  private async apply(
    actions: Array<{ deviceURL: string; commands: Array<{ name: string; parameters: unknown[] }> }>,
    highPriority = false,
  ): Promise<void> {
    if (actions.length === 0) return;
    // A new target for a device whose execution still runs replaces it.
    for (const execId of new Set(actions.map((a) => this.runningByDevice.get(a.deviceURL)).filter((x): x is string => x !== undefined))) {
      await this.client.cancel(execId, this.signal).catch((err) => this.log.debug(`cancel ${execId}: ${describeError(err)}`));
    }
    const execId = await this.client.apply(actions, this.signal, highPriority);
    this.execs.set(
      execId,
      actions.map((a) => a.deviceURL),
    );
    for (const a of actions) this.runningByDevice.set(a.deviceURL, execId);
  }

  /** The target shows while the execution runs; an RTS cover (no feedback) assumes it has reached it. */
  private rememberTarget(deviceId: string, command: Command): void {
    if (command.type === 'setSecurity') {
      const raw = this.raw.get(deviceId);
      if (raw && kindOf(raw).widget === 'StatelessAlarmController') this.assumedAlarms.set(deviceId, command.target);
      return;
    }
    if (command.type !== 'setPosition') return;
    this.commanded.set(deviceId, command.position);
    const raw = this.raw.get(deviceId);
    const states = raw && new StateReader(raw);
    if (states && !states.has('core:ClosureState') && !states.has('core:DeploymentState')) this.assumed.set(deviceId, command.position);
  }

  // ---- setup cache (survives restarts when the cloud is down) ----

  private saveSetup(setup: OverkizSetup): void {
    try {
      mkdirSync(join(this.ctx.storagePath, 'building-hub'), { recursive: true });
      writeFileSync(this.cacheFile, JSON.stringify(setup));
    } catch (err) {
      this.log.debug(`setup cache not written: ${describeError(err)}`);
    }
  }

  private loadCachedSetup(): void {
    try {
      const parsed = setupSchema.safeParse(JSON.parse(readFileSync(this.cacheFile, 'utf8')));
      if (!parsed.success) return;
      this.applySetup(parsed.data, false);
      this.store.restore(this.mapped());
    } catch {
      // no cache yet
    }
  }
}
