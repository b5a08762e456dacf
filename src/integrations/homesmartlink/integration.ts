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
import { nextDemandOccurrence } from './demandSchedule';
import {
  buildDerogationCalls,
  deltaFor,
  partInstants,
  planWindow,
  planWindowUntil,
  type RoomDelta,
  type WindowPart,
  windowEndsAt,
} from './derogation';
import { DEMAND_RESPONSE_ID, demandResponseDevice, mapHome, type Reading, type RoomRef, duplicateHeaders } from './devices';
import { DerogationLedger, ledgerSchema } from './ledger';
import { followDelivery } from './delivery';
import type { HomeSmartlinkAccount } from './account';
import type { Discovery } from '../discovery';
import { discoverHomes } from './discover';

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
  /** Each heater's last report (`sp`, `lastUpdate`): the base of the next delta. */
  private readonly readings = new Map<string, Reading>();
  /** Per home, from the invitations: false when the gateway is not connected (or none is configured). */
  private readonly gatewayConnected = new Map<string, boolean>();
  private readonly ledger: DerogationLedger;
  /** Derogations already compared with the first heater report newer than them ("key@sentAt"). */
  private readonly checked = new Set<string>();
  private readonly undelivered = new Set<string>();
  /** One line per home and cause (OnceLogger: again only when the cause changes or after a recovery). */
  private readonly homeLogs = new Map<string, OnceLogger>();
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
    this.ledger = new DerogationLedger(this.stateFile('derogations', ledgerSchema), () => this.ctx.clock.now());
  }

  override restore(devices: Device[]): void {
    super.restore(devices.filter((d) => d.id !== DEMAND_RESPONSE_ID));
  }

  /** The settings page's picker. */
  discover(signal: AbortSignal): Promise<Discovery> {
    return discoverHomes(this.client, this.account, signal);
  }

  async start(signal: AbortSignal): Promise<void> {
    this.store.upsert([this.demandDevice()]);
    const until = this.ledger.demandUntil;
    if (until !== undefined) this.scheduleDemandEnd(until);
    if (this.account.demandSchedule.length > 0) void this.runDemandSchedule(signal);
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
    // A full discovery only when every home and every home source was read: a short list must never start a removal.
    if (failures === 0 && this.homeSourcesComplete) this.discovered([...found, this.demandDevice()]);
    else this.store.upsert([this.demandDevice()]);
  }

  private async pollHome(homeId: string, signal: AbortSignal): Promise<Device[]> {
    const reply = await this.client.config(homeId, signal);
    const twice = duplicateHeaders(reply);
    if (twice.length > 0)
      this.once(`duplicates:${homeId}:${twice.join(',')}`, () =>
        this.log.warn(`home ${homeId} lists ${twice.join(', ')} more than once: the first entry of each is used`),
      );
    if (this.homeLogs.get(homeId)?.clear() && this.homes.length > 1) this.log.info(`home ${homeId} can be read again`);
    const mapped = mapHome({
      homeId,
      reply,
      now: this.ctx.clock.now(),
      previous: (id) => this.store.get(id),
      undelivered: this.undelivered,
      gatewayConnected: this.gatewayConnected.get(homeId),
      staleAfterMs: this.account.staleReadingMinutes * 60_000,
      derogation: (roomId) => this.ledger.current(roomKey({ homeId, roomId })),
    });
    for (const m of mapped) {
      this.rooms.set(m.device.id, m.room);
      this.readings.set(m.device.id, m.reading);
      this.compareWithOurs(m.device, m.room, m.reading);
    }
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
      async () => {
        const invitations = await this.client.invitations(email, signal);
        for (const inv of invitations) {
          if (inv.gatewayEnabled === undefined && inv.hasGateway === undefined) continue;
          this.gatewayConnected.set(inv._id, inv.gatewayEnabled !== false && inv.hasGateway !== false);
        }
        return invitations.map((inv) => inv._id);
      },
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
    const byRoom = new Map<string, RoomDelta & { target?: number }>();
    const refused = new Map<string, Error>();
    for (const w of batch) {
      const target = w.commands.filter((c) => c.type === 'setTargetTemperature').at(-1);
      const room = this.rooms.get(w.deviceId);
      const device = this.store.reportedDevice(w.deviceId);
      const base = this.scheduleSetpoint(w.deviceId);
      if (!target || !room || !device || base === undefined) {
        refused.set(w.deviceId, new RejectedError('this heater has not reported a setpoint to HomeSmartlink yet'));
        continue;
      }
      const plan = deltaFor(target.temperature, base);
      if (plan.clamped) {
        const sign = plan.delta > 0 ? '+' : '';
        this.log.info(
          `${device.name}: ${target.temperature} °C is ${plan.wanted} °C from the ` +
            `schedule; HomeSmartlink allows ±5 °C, so ${sign}${plan.delta} °C is applied`,
        );
      }
      byRoom.set(roomKey(room), { homeId: room.homeId, roomId: room.roomId, delta: plan.delta, target: base + plan.delta });
    }
    if (byRoom.size > 0) {
      const now = this.ctx.clock.now();
      const parts = planWindow(now, this.account.derogation.durationMinutes, this.account.timezone);
      await this.sendDerogations([...byRoom.values()], parts, windowEndsAt(now, parts, this.account.timezone));
    }
    return refused;
  }

  /**
   * The setpoint the heater's schedule gives, without our derogation: its last report minus the delta of ours that
   * was in force when it reported (`lastUpdate`). A report that predates our derogation does not hold it yet; one
   * without a date is read as holding none of ours (the reading that can only err towards a cooler room).
   */
  private scheduleSetpoint(deviceId: string): number | undefined {
    const reading = this.readings.get(deviceId);
    const room = this.rooms.get(deviceId);
    if (reading?.sp === undefined || !room) return undefined;
    return reading.sp - (this.ledger.inForceAt(roomKey(room), reading.lastUpdate)?.delta ?? 0);
  }

  /** The first report newer than a derogation of ours confirms it or, when it shows another setpoint, is logged. */
  private compareWithOurs(device: Device, room: RoomRef, reading: Reading): void {
    const key = roomKey(room);
    const ours = this.ledger.current(key);
    if (ours?.target === undefined || reading.lastUpdate === undefined || reading.lastUpdate < ours.sentAt || reading.sp === undefined)
      return;
    const seen = `${device.id}@${ours.sentAt}`;
    if (this.checked.has(seen)) return;
    this.checked.add(seen);
    if (reading.sp !== ours.target)
      this.log.info(
        `${device.name}: the heater reports a ${reading.sp} °C setpoint after our derogation to ${ours.target} °C ` +
          '(its schedule changed, or someone set it on the heater); its own setpoint is shown',
      );
  }

  /** Sends one call per window part, records the derogations, shows the new targets at once and follows delivery. */
  private async sendDerogations(rooms: Array<RoomDelta & { target?: number }>, parts: WindowPart[], until: number): Promise<void> {
    const sentAt = this.ctx.clock.now();
    for (const [i, call] of buildDerogationCalls(rooms, parts).entries()) {
      const { startTrigger, endTrigger } = await this.client.derogations(call, this.signal);
      const { startsAt, endsAt } = partInstants(parts[i], this.account.timezone);
      if (startTrigger) this.trackDelivery(startTrigger, rooms, startsAt, 'derogation');
      if (endTrigger) this.trackDelivery(endTrigger, rooms, endsAt, 'end of the derogation');
    }
    for (const r of rooms) {
      const key = roomKey(r);
      this.ledger.record(key, { delta: r.delta, target: r.target, sentAt, until });
      for (const [deviceId, room] of this.rooms) {
        const target = r.target;
        if (roomKey(room) === key && target !== undefined) this.store.patch(deviceId, (d) => withTarget(d, target));
      }
    }
    this.log.info(
      `derogation sent for ${rooms.length} room(s), ${parts.map((p) => `${p.date} ${hhmm(p.startTime)}-${hhmm(p.endTime)}`).join(' and ')}`,
    );
  }

  /** Follows a trigger from the instant it fires (a window's midnight part, its end), not from when it was sent. */
  private trackDelivery(trigger: string, rooms: RoomDelta[], firesAt: number, what: string): void {
    const homes = new Set(rooms.map((r) => r.homeId));
    const clock = this.ctx.clock;
    void clock
      .sleep(Math.max(0, firesAt - clock.now()), this.signal)
      .then(() => followDelivery({ trigger, what, client: this.client, clock, signal: this.signal, tuning: this.tuning, log: this.log }))
      .catch(() => undefined)
      .then((result) => {
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
          this.log.warn(`the gateway did not confirm the ${what} for: ${names.join(', ')} (flagged until the next successful delivery)`);
        }
      });
  }

  // ---- demand response ----

  private demandDevice(): Device {
    return demandResponseDevice(this.label, this.ledger.demand);
  }

  /** Every room, with the target a delta leads to from its schedule (a heater's report speaks for its room). */
  private allRooms(delta: number): Array<RoomDelta & { target?: number }> {
    const byRoom = new Map<string, RoomDelta & { target?: number }>();
    for (const [deviceId, room] of this.rooms) {
      const key = roomKey(room);
      const base = this.scheduleSetpoint(deviceId);
      const known = byRoom.get(key);
      if (known?.target !== undefined) continue;
      byRoom.set(key, { homeId: room.homeId, roomId: room.roomId, delta, target: base === undefined ? undefined : base + delta });
    }
    return [...byRoom.values()];
  }

  /** On: the configured delta for a new window. Off: 0 °C for the rest of the window in force, then the schedule. */
  private async setDemand(kind: 'boost' | 'eco', on: boolean, scheduled?: { parts: WindowPart[]; until: number }): Promise<void> {
    if (this.ledger.demand[kind] === on && !scheduled) return;
    const now = this.ctx.clock.now();
    const delta = on ? (kind === 'boost' ? this.account.derogation.boostDelta : this.account.derogation.ecoDelta) : 0;
    const rooms = this.allRooms(delta);
    if (rooms.length === 0) throw new RejectedError('no heater has reported a setpoint to HomeSmartlink yet');
    let window = scheduled;
    if (!window && on) {
      const parts = planWindow(now, this.account.derogation.durationMinutes, this.account.timezone);
      window = { parts, until: windowEndsAt(now, parts, this.account.timezone) };
    }
    const inForce = this.ledger.demandUntil;
    if (!window && inForce !== undefined) window = { parts: planWindowUntil(now, inForce, this.account.timezone), until: inForce };
    if (window) await this.sendDerogations(rooms, window.parts, window.until);
    this.ledger.setDemand(on ? kind : null, window?.until);
    this.store.upsert([this.demandDevice()]);
    this.log.info(
      `${kind === 'boost' ? 'Boost all' : 'Eco all'}${scheduled ? ' (scheduled)' : ''} ` +
        (on ? `on (${delta > 0 ? '+' : ''}${delta} °C in ${rooms.length} room(s))` : 'off: rooms back to their schedule'),
    );
    this.demandTimer?.abort();
    if (on && window) this.scheduleDemandEnd(window.until);
  }

  /** The configured daily windows: one derogation call for all rooms when each starts (or at start-up, inside one). */
  private async runDemandSchedule(signal: AbortSignal): Promise<void> {
    const clock = this.ctx.clock;
    try {
      for (;;) {
        const next = nextDemandOccurrence(this.account.demandSchedule, clock.now(), this.account.timezone);
        if (!next) return;
        if (next.startsAt > clock.now()) {
          await clock.sleep(next.startsAt - clock.now(), signal);
          continue;
        }
        if ((this.ledger.demandUntil ?? 0) < next.endsAt) {
          try {
            await this.setDemand(next.window.mode, true, { parts: [next.part], until: next.endsAt });
          } catch (err) {
            if (isAbort(err)) throw err;
            this.log.warn(`the scheduled ${next.window.mode === 'boost' ? 'Boost' : 'Eco'} all could not be sent: ${describeError(err)}`);
            // Rooms may not be read yet: try again in a minute while the window lasts.
            await clock.sleep(60_000, signal);
            continue;
          }
        }
        await clock.sleep(Math.max(1000, next.endsAt - clock.now()), signal);
      }
    } catch (err) {
      if (!isAbort(err)) this.log.warn(`the demand-response schedule stopped: ${describeError(err)}`);
    }
  }

  private scheduleDemandEnd(until: number): void {
    const timer = new AbortController();
    this.demandTimer = timer;
    this.ctx.clock
      .sleep(until - this.ctx.clock.now(), AbortSignal.any([this.signal, timer.signal]))
      .then(() => {
        this.ledger.setDemand(null);
        this.store.upsert([this.demandDevice()]);
      })
      .catch(() => undefined);
  }
}

function roomKey(r: { homeId: string; roomId: number }): string {
  return `${r.homeId}:${r.roomId}`;
}

function thermostatOf(device: Device | undefined): ThermostatCapability | undefined {
  return device?.capabilities.find((c): c is ThermostatCapability => c.kind === 'thermostat');
}

function withTarget(device: Device, target: number): Device {
  return patchCapabilities(device, (c) => (c.kind === 'thermostat' ? { ...c, targetTemperature: target } : c));
}
