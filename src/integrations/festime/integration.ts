import { AuthError, ProtocolError, RejectedError } from '../../core/errors';
import type { Command } from '../../core/model';
import { PollLoop } from '../../core/pollLoop';
import { frenchDate, localParts } from '../../core/time';
import { BaseIntegration } from '../base';
import type { IntegrationContext } from '../integration';
import { FestimeClient } from './client';
import { ANYONE_ID, festimeDevices, SYNC_ID, terminalDown } from './devices';
import type { AccessPointInfo, BadgeEvent } from './parse';
import { isPresent, lastReset, presenceFrom } from './presence';
import type { FestimeAccount } from './account';

const INFOS_EVERY_MS = 15 * 60_000;

export class FestimeIntegration extends BaseIntegration {
  private readonly client: FestimeClient;
  private readonly label: string;
  private readonly poll: PollLoop;
  private readonly infosLoop: PollLoop;
  /** Events since the last reset, by id_pointage: an event seen in several replies is applied once. */
  private readonly events = new Map<string, BadgeEvent>();
  private readonly accessPoints = new Set<string>();
  private infos = new Map<string, AccessPointInfo>();
  private loaded = false;
  private loginRefused = false;

  constructor(
    private readonly account: FestimeAccount,
    ctx: IntegrationContext,
  ) {
    super(ctx, {
      key: `festime:${account.label ?? account.login}`,
      vendor: 'Festime',
      label: account.label ?? 'Festime',
      secrets: [account.password],
      http: { baseUrl: account.baseUrl, maxConcurrent: 2 },
    });
    this.label = account.label ?? 'Festime';
    this.client = new FestimeClient(this.http, account.login, account.password, account.timezone);
    this.poll = this.poller({
      what: 'reading the badge events',
      intervalMs: account.pollIntervalSeconds * 1000,
      refresh: (signal) => this.refresh(signal),
    });
    // The terminal status has its own sensors' faults; its failures never make the presence sensors unavailable.
    this.infosLoop = this.poller(
      { what: 'reading the terminal status', intervalMs: INFOS_EVERY_MS, refresh: (signal) => this.readInfos(signal) },
      null,
    );
    for (const id of [ANYONE_ID, SYNC_ID]) this.permanentIds.add(id);
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.startLoops(signal, this.poll, this.infosLoop);
  }

  async execute(deviceId: string, command: Command): Promise<void> {
    if (deviceId !== SYNC_ID || command.type !== 'setOn') throw new RejectedError('presence sensors are read-only');
    if (!command.on) return;
    const results = await this.client.transferUsers(this.signal);
    if (results.length === 0) throw new ProtocolError('Festime listed no access point to synchronise');
    for (const r of results) {
      if (r.ok) this.log.info(`badge sync to ${r.accessPoint}: ${r.message}`);
      else this.log.warn(`badge sync to ${r.accessPoint} FAILED: ${r.message}`);
    }
    if (results.every((r) => !r.ok)) throw new RejectedError('no terminal accepted the badge sync');
  }

  private async refresh(signal: AbortSignal): Promise<void> {
    const now = this.ctx.clock.now();
    const tz = this.account.timezone;
    const since = lastReset(now, this.account.resetHour, tz);
    // First load after a start between midnight and the reset hour: yesterday evening still counts.
    const crossesMidnight = localParts(since, tz).date !== localParts(now, tz).date;
    const when = !this.loaded && crossesMidnight ? { since: frenchDate(since, tz) } : { day: frenchDate(now, tz) };
    let events: BadgeEvent[];
    try {
      events = await this.client.pointages(when, signal);
      this.loginRefused = false;
    } catch (err) {
      this.loginRefused = err instanceof AuthError;
      throw err;
    }
    this.loaded = true;
    for (const [id, e] of this.events) if (e.at < since) this.events.delete(id);
    let fresh = 0;
    for (const e of events) {
      if (e.at < since || this.events.has(e.id)) continue;
      this.events.set(e.id, e);
      if (e.accessPoint) this.accessPoints.add(e.accessPoint);
      fresh++;
    }
    if (fresh) this.log.debug(`${fresh} new badge event(s)`);
    this.publish(since);
  }

  private publish(since = lastReset(this.ctx.clock.now(), this.account.resetHour, this.account.timezone)): void {
    const presence = presenceFrom(this.events.values(), since);
    const here = (p: Parameters<typeof isPresent>[0]) => isPresent(p, this.account.breakCountsAsPresent);
    const accessPoints = new Map<string, boolean>([...this.accessPoints, ...this.infos.keys()].map((ap) => [ap, false]));
    for (const p of presence.values()) if (here(p) && p.accessPoint) accessPoints.set(p.accessPoint, true);
    const people = this.account.people.map((person) => {
      const p = presence.get(person.uid);
      return { uid: person.uid, name: person.name ?? (p?.name || `Person ${person.uid}`), present: here(p) };
    });
    const anyone = [...presence.values()].some(here);
    this.discovered(festimeDevices({ label: this.label, people, accessPoints, anyone, infos: this.infos }));
  }

  private async readInfos(signal: AbortSignal): Promise<void> {
    // While the login is refused, the badge poll alone (with its backoff) asks again.
    if (this.loginRefused) return;
    const infos = await this.client.terminalInfos(signal);
    const next = new Map(infos.map((i) => [i.accessPoint, i]));
    for (const [ap, info] of next) {
      const was = this.infos.get(ap);
      if (terminalDown(info) && !terminalDown(was))
        this.log.warn(`terminal ${info.serial ?? ''} at ${ap} is ${info.status} (last scan ${info.lastScan ?? 'unknown'})`);
      if (!terminalDown(info) && terminalDown(was)) this.log.info(`terminal at ${ap} is ONLINE again`);
    }
    this.infos = next;
    if (this.loaded) this.publish();
  }
}
