import { createHash } from 'node:crypto';
import { describeError, isAbort, RejectedError } from '../../core/errors';
import { StateFile } from '../../core/stateFile';
import type { Command, Device, SecurityArm } from '../../core/model';
import type { PollLoop } from '../../core/pollLoop';
import type { DeviceWrites, WriteBatcher } from '../../core/writeBatcher';
import { BaseIntegration } from '../base';
import type { IntegrationContext } from '../integration';
import { OverkizClient, type OverkizLogin } from './client';
import { dispatchEvent, type EventTarget, type ExecutionEvent } from './events';
import { Executions } from './executions';
import { ACTIVE_AFTER_EXEC_MS, loginRetryMs } from './cadence';
import { mapOverkizDevice, overkizActionCommands, overkizCommands } from './devices';
import { familyFor, kindOf } from './families';
import type { MapOptions } from './families';
import { baseOf, pairedSensor, partsOf, withParts } from './grouping';
import { priorityLock } from './priorityLock';
import { HIDDEN_UI_CLASSES, NOT_YET_MAPPED } from './hidden';
import { ListenerLostError, SessionExpiredError } from './errors';
import { type OverkizDevice, type OverkizSetup, setupSchema } from './schemas';
import { StateReader, withStates } from './states';
import type { OverkizAccount } from './account';

const SCENARIO_PREFIX = 'scenario:';
const SETUP_REREAD_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export class OverkizIntegration extends BaseIntegration {
  readonly client: OverkizClient;
  private readonly poll: PollLoop;
  private readonly writes: WriteBatcher;
  /** The last /setup, owner-only under the storage dir: a restart with the cloud down still shows every accessory. */
  private readonly setupCache: StateFile<OverkizSetup>;
  private raw = new Map<string, OverkizDevice>();
  /** Device URLs by base URL (the part before "#"): the sub-devices of one appliance. */
  private families = new Map<string, string[]>();
  private setupLoaded = false;
  private setupReadAt = -Infinity;
  /** Devices were added, changed or removed in the Overkiz app: the setup is read again, at most every 10 minutes. */
  private setupChanged = false;
  /** When `/setup/devices` was last read (its quota, like /setup's, is one a day). */
  private bulkStatesReadAt = -Infinity;
  private listenerId?: string;
  /** The login in flight: never two for one account. */
  private loggingIn?: Promise<void>;
  private readonly assumed = new Map<string, number>();
  /** Alarms that report no state: what Home last asked. */
  private readonly assumedAlarms = new Map<string, SecurityArm>();
  /** Targets asked from Home whose execution has not ended yet. */
  private readonly commanded = new Map<string, number>();
  private readonly executions: Executions;
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
    // Events: every second while our commands run and for a minute after, or on a local gateway (no quota);
    // the idle interval otherwise. A refused login follows loginRetryMs (Overkiz bans accounts that insist).
    const activeMs = Math.max(1000, account.pollIntervalSeconds * 1000);
    const idleMs = Math.max(activeMs, account.idlePollSeconds * 1000);
    this.poll = this.poller({
      what: 'reading Overkiz events',
      intervalMs: () => (account.token || this.isActive() ? activeMs : idleMs),
      refresh: (signal) => this.cycle(signal),
      authBackoff: loginRetryMs,
    });
    this.executions = new Executions(this.client, this.log, () => this.ctx.clock.now());
    this.writes = this.writeBatcher({ windowMs: account.commandWindowMs, maxWaitMs: 1000, send: (batch) => this.sendBatch(batch) });
    const id = createHash('sha256').update(this.key).digest('hex').slice(0, 16);
    this.setupCache = new StateFile(ctx.storagePath, `overkiz-setup-${id}.json`, setupSchema, this.log);
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

  private isActive(): boolean {
    return this.executions.running || this.ctx.clock.now() - this.executions.lastActivityAt < ACTIVE_AFTER_EXEC_MS;
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
        await this.login(signal);
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
    if (!this.client.hasSession) await this.login(signal);
    const now = this.ctx.clock.now();
    if (this.setupChanged && now - this.setupReadAt >= SETUP_REREAD_MS) {
      this.setupChanged = false;
      this.setupLoaded = false;
    }
    let statesFresh = false;
    if (!this.setupLoaded) {
      this.applySetup(await this.client.setup(signal), true);
      this.setupLoaded = true;
      this.setupReadAt = now;
      statesFresh = true;
      if (this.account.exposeScenarios)
        this.scenarios = (await this.client.actionGroups(signal)).map((g) => ({ oid: g.oid, label: g.label }));
      this.publishAll(true);
    }
    if (!this.listenerId) {
      this.listenerId = await this.client.register(signal);
      // Changes made while no listener existed reach no listener: read the states once.
      if (!statesFresh && this.raw.size > 0) await this.rereadStates(signal);
    }
  }

  private login(signal: AbortSignal): Promise<void> {
    this.loggingIn ??= (async () => {
      try {
        this.client.dropSession();
        this.listenerId = undefined;
        await this.client.login(signal);
        this.setupLoaded = false;
        this.log.debug('logged in');
      } finally {
        this.loggingIn = undefined;
      }
    })();
    return this.loggingIn;
  }

  /**
   * The states of every device, after a new listener: `/setup/devices` when its daily quota is unused, else each
   * published device's states (no quota). One device that cannot be read keeps its last states.
   */
  private async rereadStates(signal: AbortSignal): Promise<void> {
    const now = this.ctx.clock.now();
    if (now - this.bulkStatesReadAt >= DAY_MS) {
      this.bulkStatesReadAt = now;
      for (const d of await this.client.devices(signal)) {
        const known = this.raw.get(d.deviceURL);
        if (known) this.raw.set(d.deviceURL, withStates(known, d.states));
      }
    } else {
      const published = new Set(this.devices().map((d) => d.id));
      for (const url of [...this.raw.keys()].filter((u) => published.has(u) || this.partOfPublished(u, published))) {
        try {
          const known = this.raw.get(url);
          if (known) this.raw.set(url, withStates(known, await this.client.states(url, signal)));
        } catch (err) {
          if (err instanceof SessionExpiredError || isAbort(err)) throw err;
          this.log.debug(`states of ${url} not read again: ${describeError(err)}`);
        }
      }
    }
    this.publishAll(false);
  }

  private partOfPublished(url: string, published: ReadonlySet<string>): boolean {
    const owner = partsOf(this.members(url)).get(url);
    return owner !== undefined && published.has(owner);
  }

  private members(url: string): OverkizDevice[] {
    return (this.families.get(baseOf(url)) ?? []).flatMap((u) => this.raw.get(u) ?? []);
  }

  private async readEvents(signal: AbortSignal): Promise<void> {
    if (!this.listenerId) return;
    const events = await this.client.fetch(this.listenerId, signal);
    for (const e of events) dispatchEvent(e, this.eventTarget);
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
      if (familyFor(d)) continue;
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
    return mapOverkizDevice(d, { ...this.mapOptions(), pairedTemperature: paired, zoneControllerMode: this.zoneControllerMode(d) });
  }

  /** A PassAPC zone's season is its zone controller's, a sub-device of the same base URL. */
  private zoneControllerMode(zone: OverkizDevice): string | undefined {
    if (!kindOf(zone).widget.startsWith('AtlanticPassAPC')) return undefined;
    const controller = this.members(zone.deviceURL).find((m) => kindOf(m).widget === 'AtlanticPassAPCZoneControl');
    return controller && new StateReader(controller).string('io:PassAPCOperatingModeState');
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
      tskModes: this.account.tskModes,
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
      const climate = device.capabilities.some((c) => c.kind === 'thermostat' || c.kind === 'heaterCooler');
      const reads = raw && climate ? pairedSensor(raw, members)?.deviceURL : undefined;
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
    const sensor = pairedSensor(heater, this.members(heater.deviceURL));
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

  /** What each Overkiz event does (events.ts validates and dispatches them by name). */
  private readonly eventTarget: EventTarget = {
    stateChanged: (url, states) => {
      const d = this.raw.get(url);
      if (!d) return;
      this.raw.set(url, withStates(d, states));
      this.publishOne(url);
    },
    executionChanged: (e) => this.onExecution(e),
    availability: (url, available) => {
      const d = this.raw.get(url);
      if (!d) return;
      this.raw.set(url, { ...d, available });
      this.publishOne(url);
    },
    gateway: (gateway, alive) => {
      for (const [url, d] of this.raw) if (url.includes(`://${gateway}/`)) this.raw.set(url, { ...d, available: alive });
      this.log.warn(`gateway ${gateway} is ${alive ? 'alive again' : 'down'}`);
      this.publishAll(false);
    },
    // Read the setup again (a burst of such events: once, at most every 10 minutes); the vendor confirms what changed.
    setupChanged: () => {
      this.setupChanged = true;
    },
  };

  private onExecution(e: ExecutionEvent): void {
    const end = this.executions.ended(e);
    if (!end) return;
    for (const url of end.settled) this.commanded.delete(url);
    if (end.completed) for (const url of end.settled) this.publishOne(url);
    for (const f of end.failed) {
      this.assumed.delete(f.deviceURL);
      this.commanded.delete(f.deviceURL);
      // Targets fall back to what the device reports; the service faults until a write succeeds.
      this.publishOne(f.deviceURL);
      this.writeFailedLater(f.deviceURL, f.capabilities, 'the command', f.reason);
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
      await this.applyInSession(actions.filter((a) => !locked(a.deviceURL)));
      await this.applyInSession(
        actions.filter((a) => locked(a.deviceURL)),
        true,
      );
      for (const w of batch) this.executions.writes(w.deviceId, [...new Set(w.commands.map((c) => c.capabilityId))]);
      // From now on (and for a minute after it ends) the events are read every second: fetch at once.
      if (actions.length > 0) this.poll.refreshSoon();
    } catch (err) {
      for (const a of actions) {
        this.commanded.delete(a.deviceURL);
        this.assumed.delete(a.deviceURL);
        this.publishOne(a.deviceURL);
      }
      throw err;
    }
  }

  /**
   * A write that meets an ended session logs in once and is sent: it was validated and the user asked for it (an
   * execution refused for a session was not run). A second refusal fails the write.
   */
  private async applyInSession(actions: Parameters<Executions['apply']>[0], highPriority = false): Promise<void> {
    try {
      await this.executions.apply(actions, this.signal, highPriority);
    } catch (err) {
      if (!(err instanceof SessionExpiredError) || actions.length === 0) throw err;
      this.log.info('the session ended: logging in again to send the command');
      await this.login(this.signal);
      await this.ensureSession(this.signal);
      await this.executions.apply(actions, this.signal, highPriority);
    }
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
    this.setupCache.write(setup);
  }

  private loadCachedSetup(): void {
    const cached = this.setupCache.read();
    if (!cached) return;
    this.applySetup(cached, false);
    this.store.restore(this.mapped());
  }
}
