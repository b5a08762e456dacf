import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describeError, isAbort, RejectedError } from '../../core/errors';
import { droppedFrom, droppedIds } from '../../core/lenient';
import { StateFile } from '../../core/stateFile';
import type { Command, SecurityArm } from '../../core/model';
import type { PollLoop } from '../../core/pollLoop';
import type { DeviceWrites, WriteBatcher } from '../../core/writeBatcher';
import { BaseIntegration } from '../base';
import type { Discovery, Found } from '../discovery';
import type { IntegrationContext } from '../integration';
import { type OverkizApi, OverkizClient } from './client';
import { discoverGateways } from './local/discovery';
import { localLink, storedLocalSchema } from './local/link';
import { OverkizRootCa, rootCaSchema } from './local/rootCa';
import { brandHeaders, loginStrategyFor } from './login';
import { dispatchEvent, type EventTarget, type ExecutionEvent } from './events';
import { Executions } from './executions';
import { ACTIVE_AFTER_EXEC_MS, loginRetryMs } from './cadence';
import { overkizActionCommands, overkizCommands } from './devices';
import { kindOf } from './families';
import type { MapOptions } from './families';
import { priorityLock } from './priorityLock';
import { OverkizInventory, SCENARIO_PREFIX } from './inventory';
import { OverkizSession } from './session';
import { ListenerLostError, SessionExpiredError } from './errors';
import { type OverkizSetup, setupSchema } from './schemas';
import { StateReader, withStates } from './states';
import type { OverkizAccount } from './account';

const SETUP_REREAD_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export class OverkizIntegration extends BaseIntegration {
  readonly client: OverkizApi;
  /** The gateway's local API, when `localApi` is set (the cloud behind it). */
  readonly local?: ReturnType<typeof localLink>;
  private readonly poll: PollLoop;
  private readonly writes: WriteBatcher;
  /** The last /setup, owner-only under the storage dir: a restart with the cloud down still shows every accessory. */
  private readonly setupCache: StateFile<OverkizSetup>;
  private readonly inventory: OverkizInventory;
  /** Devices the account has that Home will not show, by deviceURL, for the settings page. */
  private readonly notShown = new Map<string, { name: string; kind: string; why: string }>();
  private setupLoaded = false;
  private setupReadAt = -Infinity;
  /** Devices were added, changed or removed in the Overkiz app: the setup is read again, at most every 10 minutes. */
  private setupChanged = false;
  /** When `/setup/devices` was last read (its quota, like /setup's, is one a day). */
  private bulkStatesReadAt = -Infinity;
  private readonly session: OverkizSession;
  private readonly assumed = new Map<string, number>();
  /** Alarms that report no state: what Home last asked. */
  private readonly assumedAlarms = new Map<string, SecurityArm>();
  /** Targets asked from Home whose execution has not ended yet. */
  private readonly commanded = new Map<string, number>();
  private readonly executions: Executions;

  constructor(
    private readonly account: OverkizAccount,
    ctx: IntegrationContext,
  ) {
    super(ctx, {
      key: `overkiz:${account.label ?? account.username ?? new URL(account.baseUrl).host}`,
      vendor: 'Overkiz',
      label: account.label ?? 'Overkiz',
      secrets: [account.password, account.token, account.jwt, account.accessToken, account.ssoToken, account.refreshToken],
      http: {
        baseUrl: account.baseUrl,
        // With localApi the trust options are the gateway's; the cloud keeps the system's CAs.
        caCertificate: account.localApi ? undefined : account.caCertificate,
        certificateFingerprint: account.localApi ? undefined : account.certificateFingerprint,
        maxConcurrent: 2,
      },
    });
    const cloud = new OverkizClient(this.http, {
      strategy: loginStrategyFor(account, { http: this.http, log: this.log, now: () => ctx.clock.now(), tokens: this.refreshTokens() }),
      bearer: account.token,
      setupOID: account.setupOID,
      headers: brandHeaders(account),
    });
    if (account.localApi && !account.token) {
      this.local = localLink({
        account,
        cloud,
        redactor: this.http.redactor,
        clock: ctx.clock,
        log: this.log,
        file: this.stateFile('local', storedLocalSchema),
        discover: discoverGateways,
        rootCa: new OverkizRootCa(
          account.rootCaUrl,
          new StateFile(ctx.storagePath, 'overkiz-root-ca.json', rootCaSchema, this.log),
          this.log,
        ),
      });
      this.client = this.local.client;
    } else this.client = cloud;
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
    this.session = new OverkizSession(this.client, this.log, () => {
      this.setupLoaded = false;
    });
    this.inventory = new OverkizInventory((d, why) => {
      const { uiClass, widget } = kindOf(d);
      this.notShown.set(d.deviceURL, { name: d.label, kind: `${uiClass || '?'} (${widget || '?'})`, why });
      this.once(`unknown:${uiClass}/${widget}`, () =>
        this.log.debug(`not exposed: uiClass ${uiClass || '?'} widget ${widget || '?'} (${d.label}): ${why}`),
      );
    });
    this.executions = new Executions(this.client, this.log, () => this.ctx.clock.now());
    this.writes = this.writeBatcher({ windowMs: account.commandWindowMs, maxWaitMs: 1000, send: (batch) => this.sendBatch(batch) });
    const id = createHash('sha256').update(this.key).digest('hex').slice(0, 16);
    this.setupCache = new StateFile(ctx.storagePath, `overkiz-setup-${id}.json`, setupSchema, this.log);
  }

  /**
   * The newest refresh token (owner-only file): kept while the configured one is the one it came from; a new token
   * pasted into the config wins.
   */
  private refreshTokens() {
    const given = this.account.refreshToken;
    if (!given) return undefined;
    const file = this.stateFile('tokens', z.object({ from: z.string(), refreshToken: z.string() }));
    const from = createHash('sha256').update(given).digest('hex');
    return {
      load: () => {
        const saved = file.read();
        return saved?.from === from ? saved.refreshToken : undefined;
      },
      save: (refreshToken: string) => file.write({ from, refreshToken }),
    };
  }

  /** The settings page's exclude picker: every device Home will show, and those it will not, with the reason. */
  async discover(signal: AbortSignal): Promise<Discovery> {
    await this.start(signal);
    const items: Found[] = this.devices().map((d) => ({ id: d.id, name: d.name, kind: d.model, selected: true }));
    for (const [id, d] of this.notShown) items.push({ id, name: d.name, kind: d.kind, unsupported: d.why });
    return { items };
  }

  async start(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => void this.local?.close(), { once: true });
    this.loadCachedSetup();
    await this.startLoops(signal, this.poll);
  }

  async execute(deviceId: string, command: Command): Promise<void> {
    if (deviceId.startsWith(SCENARIO_PREFIX)) {
      if (command.type !== 'setOn' || !command.on) return;
      await this.client.runActionGroup(deviceId.slice(SCENARIO_PREFIX.length), this.signal);
      return;
    }
    const raw = this.inventory.get(deviceId);
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
    // A lost listener (or a switch between the gateway and the cloud) registers again at once; an ended session logs
    // in once; a second failure of the same kind waits for the backoff.
    let relogged = false;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ensureSession(signal);
        await this.readEvents(signal);
        return;
      } catch (err) {
        if (err instanceof SessionExpiredError && !relogged) {
          relogged = true;
          await this.session.login(signal);
        } else if (err instanceof ListenerLostError && attempt < 2) this.session.listenerLost();
        else throw err;
      }
    }
  }

  private async ensureSession(signal: AbortSignal): Promise<void> {
    if (!this.session.loggedIn) await this.session.login(signal);
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
        this.inventory.scenarios = (await this.client.actionGroups(signal)).map((g) => ({ oid: g.oid, label: g.label }));
      this.publishAll(true);
    }
    // Changes made while no listener existed reached no listener: read the states once.
    if ((await this.session.listen(signal)) && !statesFresh && this.inventory.size > 0) await this.rereadStates(signal);
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
        const known = this.inventory.get(d.deviceURL);
        if (known) this.inventory.set(d.deviceURL, withStates(known, d.states));
      }
    } else {
      const published = new Set(this.devices().map((d) => d.id));
      for (const url of [...this.inventory.entries()]
        .map(([u]) => u)
        .filter((u) => published.has(u) || this.inventory.partOfPublished(u, published))) {
        try {
          const states = await this.client.states(url, signal);
          // Read after the await: an event handled meanwhile (the device went unavailable) must not be undone.
          const known = this.inventory.get(url);
          if (known) this.inventory.set(url, withStates(known, states));
        } catch (err) {
          if (err instanceof SessionExpiredError || isAbort(err)) throw err;
          this.log.debug(`states of ${url} not read again: ${describeError(err)}`);
        }
      }
    }
    this.publishAll(false);
  }

  private async readEvents(signal: AbortSignal): Promise<void> {
    for (const e of await this.session.fetch(signal)) dispatchEvent(e, this.eventTarget);
  }

  // ---- setup and devices ----

  private applySetup(read: OverkizSetup, fresh: boolean): void {
    const setup = this.keepUnreadable(read);
    const deadGateways = setup.gateways.filter((g) => g.alive === false).map((g) => g.gatewayId);
    for (const g of deadGateways) this.log.warn(`gateway ${g} is not alive: its devices show No Response`);
    this.inventory.apply(setup, new Set(this.account.exclude), deadGateways);
    if (fresh) this.saveSetup(setup);
  }

  /**
   * A device the setup still lists (its URL is there) but describes in a way that cannot be read keeps what was
   * known of it, states included: a malformed entry is not evidence that the device is gone, and leaving it out
   * would remove its accessory once the removal grace ends. One never seen before is left out. One log line.
   */
  private keepUnreadable(setup: OverkizSetup): OverkizSetup {
    const left = droppedFrom(setup.devices);
    if (left === 0) return setup;
    const listed = new Set(setup.devices.map((d) => d.deviceURL));
    const kept = droppedIds(setup.devices).flatMap((url) => {
      const known = listed.has(url) ? undefined : this.inventory.get(url);
      if (known) listed.add(url);
      return known ?? [];
    });
    this.once(`malformed-devices:${left}:${kept.length}`, () =>
      this.log.warn(
        `${left} device(s) of the setup are malformed: ${kept.length} keep what was last read of them, ` +
          `${left - kept.length} never read before are left out`,
      ),
    );
    return kept.length === 0 ? setup : { ...setup, devices: [...setup.devices, ...kept] };
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

  private publishAll(discovery: boolean): void {
    const devices = this.inventory.mapAll(this.mapOptions());
    if (discovery) this.discovered(devices);
    else this.store.upsert(devices);
  }

  /** Re-maps only the family of the device an event concerns (a heater shows its parts and its sensor's reading). */
  private publishOne(url: string): void {
    const devices = this.inventory.mapFamilyOf(url, this.mapOptions());
    if (devices.length > 0) this.store.upsert(devices);
  }

  /** What each Overkiz event does (events.ts validates and dispatches them by name). */
  private readonly eventTarget: EventTarget = {
    stateChanged: (url, states) => {
      const d = this.inventory.get(url);
      if (!d) return;
      this.inventory.set(url, withStates(d, states));
      this.publishOne(url);
    },
    executionChanged: (e) => this.onExecution(e),
    availability: (url, available) => {
      const d = this.inventory.get(url);
      if (!d) return;
      this.inventory.set(url, { ...d, available });
      this.publishOne(url);
    },
    gateway: (gateway, alive) => {
      for (const [url, d] of [...this.inventory.entries()])
        if (url.includes(`://${gateway}/`)) this.inventory.set(url, { ...d, available: alive });
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
      const raw = this.inventory.get(w.deviceId);
      return raw ? [{ deviceURL: w.deviceId, commands: overkizActionCommands(raw, w.commands, this.mapOptions()) }] : [];
    });
    // A device under a user-level priority lock goes through /exec/apply/highPriority, in an execution of its own.
    const locked = (url: string) => {
      const raw = this.inventory.get(url);
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
      await this.session.login(this.signal);
      await this.ensureSession(this.signal);
      await this.executions.apply(actions, this.signal, highPriority);
    }
  }

  /** The target shows while the execution runs; an RTS cover (no feedback) assumes it has reached it. */
  private rememberTarget(deviceId: string, command: Command): void {
    if (command.type === 'setSecurity') {
      const raw = this.inventory.get(deviceId);
      if (raw && kindOf(raw).widget === 'StatelessAlarmController') this.assumedAlarms.set(deviceId, command.target);
      return;
    }
    if (command.type !== 'setPosition') return;
    this.commanded.set(deviceId, command.position);
    const raw = this.inventory.get(deviceId);
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
    this.store.restore(this.inventory.mapAll(this.mapOptions()));
  }
}
