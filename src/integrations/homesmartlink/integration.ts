import { patchCapabilities, withFault } from '../../core/capabilityPatch';
import { AuthError, describeError, isAbort, RejectedError } from '../../core/errors';
import { OnceLogger } from '../../core/log';
import type { Command, Device, ThermostatCapability } from '../../core/model';
import type { PollLoop } from '../../core/pollLoop';
import { hhmm } from '../../core/time';
import type { DeviceWrites, WriteBatcher } from '../../core/writeBatcher';
import { BaseIntegration } from '../base';
import type { IntegrationContext } from '../integration';
import { HomeSmartlinkClient } from './client';
import { buildDerogationCalls, deltaFor, planWindow, type RoomDelta, windowEndsAt } from './derogation';
import { DEMAND_RESPONSE_ID, demandResponseDevice, mapHome, type RoomRef } from './devices';
import { followDelivery } from './delivery';
import type { HomeSmartlinkAccount } from './account';

/** Options tests change; the defaults are the behaviour users get. */
export interface HomeSmartlinkTuning {
  /** Writes within this window go out as one /derogations call (a Home scene touching many rooms). */
  batchWindowMs: number;
  reportFirstCheckMs: number;
  reportEveryMs: number;
  reportGiveUpMs: number;
  /** How often the home list from emails/allHomes is read again. */
  homesRefreshMs: number;
}

const DEFAULT_TUNING: HomeSmartlinkTuning = {
  batchWindowMs: 1000,
  reportFirstCheckMs: 10_000,
  reportEveryMs: 30_000,
  reportGiveUpMs: 10 * 60_000,
  homesRefreshMs: 6 * 60 * 60_000,
};

export class HomeSmartlinkIntegration extends BaseIntegration {
  private readonly client: HomeSmartlinkClient;
  private readonly coordinator: PollLoop;
  private readonly writes: WriteBatcher;
  private readonly tuning: HomeSmartlinkTuning;
  private readonly label: string;
  private homes: string[] = [];
  private homesReadAt = -Infinity;
  /** Homes each source (an email's invitations, the users list) gave last time it could be read. */
  private readonly homesBySource = new Map<string, string[]>();
  private readonly sourceLogs = new Map<string, OnceLogger>();
  /** False while a source failed: the home list may be short, so a poll is no full discovery. */
  private homeSourcesComplete = true;
  private readonly rooms = new Map<string, RoomRef>();
  /** Deltas this plugin has in force, by "homeId:roomId". */
  private readonly deltas = new Map<string, { delta: number; until: number }>();
  private readonly undelivered = new Set<string>();
  /** One line per home and cause (OnceLogger: again only when the cause changes or after a recovery). */
  private readonly homeLogs = new Map<string, OnceLogger>();
  private demand = { boost: false, eco: false };
  private demandTimer?: AbortController;

  constructor(
    private readonly account: HomeSmartlinkAccount,
    ctx: IntegrationContext,
    tuning: Partial<HomeSmartlinkTuning> = {},
  ) {
    super(ctx, {
      key: `homesmartlink:${account.label ?? account.clientId}`,
      vendor: 'HomeSmartlink',
      label: account.label ?? 'HomeSmartlink',
      basicAuth: { user: account.clientId, secret: account.clientSecret },
      http: { baseUrl: account.baseUrl, headers: { authorization: HomeSmartlinkClient.basicAuth(account.clientId, account.clientSecret) } },
    });
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    this.label = account.label ?? 'HomeSmartlink';
    this.client = new HomeSmartlinkClient(this.http);
    this.coordinator = this.poller({
      what: 'polling the homes',
      intervalMs: account.pollIntervalSeconds * 1000,
      refresh: (signal) => this.pollAll(signal),
    });
    // One /derogations call for the writes of a Home scene; the window does not restart (maxWait = window).
    this.writes = this.writeBatcher({
      windowMs: this.tuning.batchWindowMs,
      maxWaitMs: this.tuning.batchWindowMs,
      send: (batch) => this.sendTargets(batch),
    });
    for (const id of [DEMAND_RESPONSE_ID]) this.permanentIds.add(id);
  }

  override restore(devices: Device[]): void {
    super.restore(devices.filter((d) => d.id !== DEMAND_RESPONSE_ID));
  }

  async start(signal: AbortSignal): Promise<void> {
    this.store.upsert([demandResponseDevice(this.label, this.demand)]);
    await this.startLoops(signal, this.coordinator);
  }

  async execute(deviceId: string, command: Command): Promise<void> {
    if (deviceId === DEMAND_RESPONSE_ID && command.type === 'setOn') {
      return this.setDemand(command.capabilityId === 'boost' ? 'boost' : 'eco', command.on);
    }
    const device = this.store.get(deviceId);
    if (!device) throw new RejectedError(`unknown device ${deviceId}`);
    if (command.type === 'setTargetTemperature') {
      if (!this.rooms.has(deviceId) || !thermostatOf(device))
        throw new RejectedError('this heater has not been read from HomeSmartlink yet');
      this.queueWrite(this.writes, deviceId, command);
      return;
    }
    if (command.type === 'setMode') {
      const current = thermostatOf(device)?.mode;
      if (command.mode === current) return;
      throw new RejectedError('the HomeSmartlink partner API cannot change a heater mode (only temporary derogations)');
    }
    throw new RejectedError(`${command.type} is not supported by HomeSmartlink`);
  }

  // ---- polling ----

  private async pollAll(signal: AbortSignal): Promise<void> {
    await this.resolveHomes(signal);
    const stagger = this.homes.length > 1 ? Math.min(5000, (this.account.pollIntervalSeconds * 1000) / (2 * this.homes.length)) : 0;
    const found: Device[] = [];
    let failures = 0;
    let lastError: unknown;
    for (const [i, homeId] of this.homes.entries()) {
      if (i > 0 && stagger > 0) await this.ctx.clock.sleep(stagger, signal);
      try {
        found.push(...(await this.pollHome(homeId, signal)));
      } catch (err) {
        if (err instanceof AuthError || isAbort(err)) throw err;
        failures++;
        lastError = err;
        this.homeFailed(homeId, err);
      }
    }
    if (failures > 0 && failures === this.homes.length) throw lastError;
    this.expireDeltas();
    // A full discovery only when every home and every home source was read: a short list must never start a removal.
    if (failures === 0 && this.homeSourcesComplete) this.discovered([...found, this.demandDevice()]);
    else this.store.upsert([this.demandDevice()]);
  }

  private async pollHome(homeId: string, signal: AbortSignal): Promise<Device[]> {
    const reply = await this.client.config(homeId, signal);
    if (this.homeLogs.get(homeId)?.clear() && this.homes.length > 1) this.log.info(`home ${homeId} can be read again`);
    const mapped = mapHome({
      homeId,
      reply,
      now: this.ctx.clock.now(),
      previous: (id) => this.store.get(id),
      undelivered: this.undelivered,
    });
    for (const m of mapped) this.rooms.set(m.device.id, m.room);
    const devices = mapped.map((m) => m.device);
    this.store.upsert(devices);
    return devices;
  }

  /** While every home fails, the loop's account-level line says it all. */
  private homeFailed(homeId: string, err: unknown): void {
    if (this.homes.length <= 1) return;
    const log = this.homeLogs.get(homeId) ?? new OnceLogger(this.log);
    this.homeLogs.set(homeId, log);
    log.warn(`home ${homeId} could not be read: ${describeError(err)}`);
  }

  /**
   * The homes to poll: the ids listed in the config, plus those each source (an email's invitations, the users list)
   * gave. Each source fails alone: a failing one keeps the homes it gave last time, says so once, and is read again at
   * the next poll; the homes listed by id are polled whatever happens to the sources.
   */
  private async resolveHomes(signal: AbortSignal): Promise<void> {
    const { emails, allHomes, homeIds } = this.account;
    if (emails.length === 0 && !allHomes) {
      this.homes = [...new Set(homeIds)];
      return;
    }
    if (this.homeSourcesComplete && this.ctx.clock.now() - this.homesReadAt < this.tuning.homesRefreshMs) return;
    const sources: Array<[string, () => Promise<string[]>]> = emails.map((email) => [
      `the invitations of ${email}`,
      async () => (await this.client.invitations(email, signal)).map((inv) => inv._id),
    ]);
    if (allHomes) sources.push(['the users list', async () => (await this.client.users(100, signal)).map((u) => u.homeId)]);
    let complete = true;
    for (const [what, read] of sources) {
      const log = this.sourceLogs.get(what) ?? new OnceLogger(this.log);
      this.sourceLogs.set(what, log);
      try {
        this.homesBySource.set(what, await read());
        if (log.clear()) this.log.info(`${what} can be read again`);
      } catch (err) {
        if (err instanceof AuthError || isAbort(err)) throw err;
        complete = false;
        log.warn(`${what} could not be read: ${describeError(err)}; the homes it gave before (and those listed by id) are polled`);
      }
    }
    this.homes = [...new Set([...homeIds, ...[...this.homesBySource.values()].flat()])];
    this.homeSourcesComplete = complete;
    this.homesReadAt = this.ctx.clock.now();
    this.log.debug(`${this.homes.length} home(s) to poll`);
  }

  // ---- target temperature -> derogation ----

  /** One batch of target writes -> one derogation per room (several heaters of one room: the last write wins). */
  private async sendTargets(batch: DeviceWrites[]): Promise<Map<string, Error>> {
    const byRoom = new Map<string, RoomDelta>();
    const refused = new Map<string, Error>();
    for (const w of batch) {
      const target = w.commands.filter((c) => c.type === 'setTargetTemperature').at(-1);
      const room = this.rooms.get(w.deviceId);
      // The reported target: the asked one is shown on top of it while the write is pending.
      const device = this.store.reportedDevice(w.deviceId);
      const thermostat = thermostatOf(device);
      if (!target || !room || !device || !thermostat) {
        refused.set(w.deviceId, new RejectedError('this heater has not been read from HomeSmartlink yet'));
        continue;
      }
      const key = roomKey(room);
      const plan = deltaFor(target.temperature, thermostat.targetTemperature, this.deltaInForce(key));
      if (plan.clamped) {
        const sign = plan.delta > 0 ? '+' : '';
        this.log.info(
          `${device.name}: ${target.temperature} °C is ${plan.wanted} °C from the ` +
            `schedule; HomeSmartlink allows ±5 °C, so ${sign}${plan.delta} °C is applied`,
        );
      }
      byRoom.set(key, { homeId: room.homeId, roomId: room.roomId, delta: plan.delta });
    }
    if (byRoom.size > 0) await this.sendDerogations([...byRoom.values()]);
    return refused;
  }

  private deltaInForce(key: string): number {
    const d = this.deltas.get(key);
    return d && d.until > this.ctx.clock.now() ? d.delta : 0;
  }

  private expireDeltas(): void {
    const now = this.ctx.clock.now();
    for (const [key, d] of this.deltas) if (d.until <= now) this.deltas.delete(key);
  }

  /** Sends one call per window part, records the deltas, shows the new targets at once and follows delivery. */
  private async sendDerogations(rooms: RoomDelta[]): Promise<number> {
    const now = this.ctx.clock.now();
    const parts = planWindow(now, this.account.derogation.durationMinutes, this.account.timezone);
    const until = windowEndsAt(now, parts, this.account.timezone);
    for (const call of buildDerogationCalls(rooms, parts)) {
      const { startTrigger } = await this.client.derogations(call, this.signal);
      if (startTrigger) this.trackDelivery(startTrigger, rooms);
    }
    for (const r of rooms) {
      const key = roomKey(r);
      const base = this.deltaInForce(key);
      this.deltas.set(key, { delta: r.delta, until });
      for (const [deviceId, room] of this.rooms) {
        if (roomKey(room) !== key) continue;
        this.store.patch(deviceId, (d) => withTarget(d, (t) => t.targetTemperature - base + r.delta));
      }
    }
    this.log.info(
      `derogation sent for ${rooms.length} room(s), ${parts.map((p) => `${p.date} ${hhmm(p.startTime)}-${hhmm(p.endTime)}`).join(' and ')}`,
    );
    return until;
  }

  private trackDelivery(trigger: string, rooms: RoomDelta[]): void {
    const homes = new Set(rooms.map((r) => r.homeId));
    void followDelivery({
      trigger,
      client: this.client,
      clock: this.ctx.clock,
      signal: this.signal,
      tuning: this.tuning,
      log: this.log,
    }).then((result) => {
      if (!result) return;
      const roomKeys = new Set(rooms.map(roomKey));
      for (const [deviceId, room] of this.rooms) {
        if (!homes.has(room.homeId) || !roomKeys.has(roomKey(room))) continue;
        const failed = result.notReceived.has(room.homeId);
        if (failed) this.undelivered.add(deviceId);
        else this.undelivered.delete(deviceId);
        this.store.patch(deviceId, (d) => withFault(d, failed));
      }
      if (result.notReceived.size > 0) {
        const names = [...this.rooms].filter(([, r]) => result.notReceived.has(r.homeId)).map(([id]) => this.store.get(id)?.name ?? id);
        this.log.warn(`the gateway did not confirm the derogation for: ${names.join(', ')} (flagged until the next successful delivery)`);
      }
    });
  }

  // ---- demand response ----

  private demandDevice(): Device {
    return demandResponseDevice(this.label, this.demand);
  }

  private async setDemand(kind: 'boost' | 'eco', on: boolean): Promise<void> {
    if (this.demand[kind] === on) return;
    const delta = on ? (kind === 'boost' ? this.account.derogation.boostDelta : this.account.derogation.ecoDelta) : 0;
    const rooms = uniqueRooms([...this.rooms.values()]).map((r) => ({ ...r, delta }));
    if (rooms.length === 0) throw new RejectedError('no heater has been read from HomeSmartlink yet');
    const until = await this.sendDerogations(rooms);
    this.demand = { boost: kind === 'boost' && on, eco: kind === 'eco' && on };
    this.store.upsert([this.demandDevice()]);
    this.log.info(
      `${kind === 'boost' ? 'Boost all' : 'Eco all'} ` +
        (on ? `on (${delta > 0 ? '+' : ''}${delta} °C in ${rooms.length} room(s))` : 'off: rooms back to their schedule'),
    );
    this.demandTimer?.abort();
    if (on) this.scheduleDemandEnd(until);
  }

  private scheduleDemandEnd(until: number): void {
    const timer = new AbortController();
    this.demandTimer = timer;
    this.ctx.clock
      .sleep(until - this.ctx.clock.now(), AbortSignal.any([this.signal, timer.signal]))
      .then(() => {
        this.demand = { boost: false, eco: false };
        this.store.upsert([this.demandDevice()]);
      })
      .catch(() => undefined);
  }
}

function roomKey(r: { homeId: string; roomId: number }): string {
  return `${r.homeId}:${r.roomId}`;
}

function uniqueRooms(rooms: RoomRef[]): Array<{ homeId: string; roomId: number }> {
  const seen = new Map<string, { homeId: string; roomId: number }>();
  for (const r of rooms) seen.set(roomKey(r), { homeId: r.homeId, roomId: r.roomId });
  return [...seen.values()];
}

function thermostatOf(device: Device | undefined): ThermostatCapability | undefined {
  return device?.capabilities.find((c): c is ThermostatCapability => c.kind === 'thermostat');
}

function withTarget(device: Device, next: (t: ThermostatCapability) => number): Device {
  return patchCapabilities(device, (c) => (c.kind === 'thermostat' ? { ...c, targetTemperature: next(c) } : c));
}
