import { AuthError, ProtocolError, RejectedError } from '../../core/errors';
import type { Command } from '../../core/model';
import { PollLoop } from '../../core/pollLoop';
import type { StateFile } from '../../core/stateFile';
import { frenchDate, localParts } from '../../core/time';
import { z } from 'zod';
import { BaseIntegration } from '../base';
import type { IntegrationContext } from '../integration';
import { FestimeClient } from './client';
import { ANYONE_ID, festimeDevices, SYNC_ID, terminalProblem } from './devices';
import type { AccessPointInfo, BadgeEvent } from './parse';
import { isPresent, lastReset, presenceFrom } from './presence';
import type { FestimeAccount } from './account';
import type { Discovery } from '../discovery';
import { discoverPeople } from './discover';

const INFOS_EVERY_MS = 15 * 60_000;
const namesSchema = z.record(z.string(), z.string());

export class FestimeIntegration extends BaseIntegration {
  private readonly client: FestimeClient;
  private readonly label: string;
  private readonly poll: PollLoop;
  private readonly infosLoop: PollLoop;
  /** Events since the last reset, by id_pointage: an event seen in several replies is applied once. */
  private readonly events = new Map<string, BadgeEvent>();
  private readonly accessPoints = new Set<string>();
  private infos = new Map<string, AccessPointInfo>();
  private problems = new Map<string, string>();
  private loaded = false;
  private loginRefused = false;
  /** The last Festime name of each listed person (kept: a person's name must not flip on days they did not badge). */
  private readonly namesFile: StateFile<Record<string, string>>;
  private readonly names: Record<string, string>;

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
    this.namesFile = this.stateFile('names', namesSchema);
    this.names = this.namesFile.read() ?? {};
  }

  /** The settings page's picker. */
  discover(signal: AbortSignal): Promise<Discovery> {
    return discoverPeople(this.client, this.account, this.ctx.clock, signal);
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
    // Between midnight and the reset hour, yesterday evening still counts: every poll then reads from yesterday on
    // (one call), so a departure badged at 23:50 and uploaded after midnight is still seen.
    const crossesMidnight = localParts(since, tz).date !== localParts(now, tz).date;
    const when = crossesMidnight ? { since: frenchDate(since, tz) } : { day: frenchDate(now, tz) };
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
    const presence = presenceFrom(this.events.values(), since, this.ctx.clock.now());
    const here = (p: Parameters<typeof isPresent>[0]) => isPresent(p, this.account.breakCountsAsPresent);
    const accessPoints = new Map<string, boolean>([...this.accessPoints, ...this.infos.keys()].map((ap) => [ap, false]));
    for (const p of presence.values()) if (here(p) && p.accessPoint) accessPoints.set(p.accessPoint, true);
    this.rememberNames(presence);
    const people = this.account.people.map((person) => {
      const name = person.name ?? this.names[person.uid] ?? `Person ${person.uid}`;
      return { uid: person.uid, name, present: here(presence.get(person.uid)) };
    });
    const anyone = [...presence.values()].some(here);
    this.discovered(festimeDevices({ label: this.label, people, accessPoints, anyone, problems: this.problems }));
  }

  private rememberNames(presence: ReturnType<typeof presenceFrom>): void {
    let changed = false;
    for (const person of this.account.people) {
      const name = presence.get(person.uid)?.name.trim();
      if (!name || this.names[person.uid] === name) continue;
      this.names[person.uid] = name;
      changed = true;
    }
    if (changed) this.namesFile.write(this.names);
  }

  private async readInfos(signal: AbortSignal): Promise<void> {
    // While the login is refused, the badge poll alone (with its backoff) asks again.
    if (this.loginRefused) return;
    const infos = await this.client.terminalInfos(signal);
    const next = new Map(infos.map((i) => [i.accessPoint, i]));
    const now = this.ctx.clock.now();
    const problems = new Map<string, string>();
    for (const [ap, info] of next) {
      const problem = terminalProblem(info, now, this.account.terminalScanMaxMinutes * 60_000);
      const was = this.problems.get(ap);
      if (problem) problems.set(ap, problem);
      if (problem && problem !== was)
        this.log.warn(`terminal ${info.serial ?? ''} at ${ap} ${problem} (last scan ${info.lastScan ?? 'unknown'})`);
      if (!problem && was) this.log.info(`terminal at ${ap} is healthy again`);
    }
    this.infos = next;
    this.problems = problems;
    if (this.loaded) this.publish();
  }
}
