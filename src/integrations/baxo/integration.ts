import { AuthError, describeError, isAbort, RejectedError } from '../../core/errors';
import { OnceLogger } from '../../core/log';
import type { Command, HistorySample } from '../../core/model';
import type { PollLoop } from '../../core/pollLoop';
import type { DeviceWrites, WriteBatcher } from '../../core/writeBatcher';
import { BaseIntegration } from '../base';
import type { IntegrationContext } from '../integration';
import { BaxoClient } from './client';
import { baxoDevice, HISTORY_KINDS, numberOf, RESET_SUFFIX, type TagConfig, type TagReading, writeValueOf } from './devices';
import type { BaxoDevice, RealtimeLog } from './schemas';
import { latchesSchema, TagBook } from './tagBook';
import { fromBaxoTime, parseTagValue, toBaxoTime } from './values';
import type { BaxoAccount } from './account';
import type { Discovery } from '../discovery';
import { discoverTags } from './discover';

const HOUR = 3_600_000;
/** How far back the history is read at start to learn each tag's reporting period. */
const PERIOD_SEED_MS = 6 * HOUR;

type ResolvedTag = TagConfig & { contractId: string };

export class BaxoIntegration extends BaseIntegration {
  readonly client: BaxoClient;
  private readonly poll: PollLoop;
  private readonly writes: WriteBatcher;
  /** Tags with their contract resolved. */
  private tags: ResolvedTag[] = [];
  private contractsResolved = false;
  private readonly contractLog: OnceLogger;
  private catalogueAt = -Infinity;
  /** Contracts whose device list was read at least once (a device missing from it is then flagged). */
  private readonly cataloguedContracts = new Set<string>();
  private readonly vendorDevices = new Map<string, BaxoDevice>();
  private readonly book: TagBook;
  /** Tags whose period was looked up in the history already (once each). */
  private readonly periodLookedUp = new Set<string>();
  private tagsListed = false;

  constructor(
    private readonly account: BaxoAccount,
    ctx: IntegrationContext,
  ) {
    super(ctx, {
      key: `baxo:${account.label ?? account.username}`,
      vendor: 'BAXO',
      label: account.label ?? 'BAXO Connect',
      secrets: [account.password],
      http: { baseUrl: account.baseUrl, maxConcurrent: 2 },
    });
    this.client = new BaxoClient(this.http, account.username, account.password, ctx.clock);
    this.poll = this.poller({
      what: 'reading the tags',
      intervalMs: account.pollIntervalSeconds * 1000,
      refresh: (signal) => this.refresh(signal),
    });
    this.writes = this.writeBatcher({ windowMs: 150, maxWaitMs: 1000, send: (batch) => this.sendWrites(batch) });
    this.contractLog = new OnceLogger(this.log);
    this.book = new TagBook(this.stateFile('latches', latchesSchema));
  }

  /** The settings page's picker. */
  discover(signal: AbortSignal): Promise<Discovery> {
    return discoverTags(this.client, this.account, signal);
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.startLoops(signal, this.poll);
  }

  async execute(deviceId: string, command: Command): Promise<void> {
    if (command.capabilityId.endsWith(RESET_SUFFIX) && command.type === 'setOn') {
      const ref = command.capabilityId.slice(0, -RESET_SUFFIX.length);
      if (!this.tags.some((t) => t.deviceId === deviceId && t.tagReference === ref && t.latch)) throw new RejectedError('no such alarm');
      if (!command.on) return;
      this.book.reset(`${deviceId}/${ref}`, this.ctx.clock.now());
      this.log.info(`${this.store.get(deviceId)?.name ?? deviceId}: ${ref} alarm reset`);
      this.store.upsert(this.buildDevices(this.ctx.clock.now()).filter((d) => d.id === deviceId));
      return;
    }
    const tag = this.tags.find((t) => t.deviceId === deviceId && t.tagReference === command.capabilityId);
    if (!tag || (tag.as !== 'switch' && tag.as !== 'outlet') || command.type !== 'setOn')
      throw new RejectedError('only switch tags can be written');
    this.queueWrite(this.writes, deviceId, command);
  }

  /** The API writes one tag per request: a batch sends the last value of each tag asked, one after the other. */
  private async sendWrites(batch: DeviceWrites[]): Promise<Map<string, Error>> {
    const failed = new Map<string, Error>();
    for (const w of batch) {
      for (const command of w.commands) {
        const tag = this.tags.find((t) => t.deviceId === w.deviceId && t.tagReference === command.capabilityId);
        if (!tag || command.type !== 'setOn') continue;
        try {
          await this.client.writeTag(tag.contractId, w.deviceId, tag.tagReference, writeValueOf(tag, command.on), this.signal);
          this.log.info(
            `${this.store.get(w.deviceId)?.name ?? w.deviceId}: ${tag.name ?? tag.tagReference} set to ${command.on ? 'on' : 'off'}`,
          );
        } catch (err) {
          failed.set(w.deviceId, err instanceof Error ? err : new Error(String(err)));
        }
      }
    }
    return failed;
  }

  /** The last 24 h of the device's temperature, humidity and CO2 tags (first tag of each kind), page after page. */
  async history(deviceId: string, signal: AbortSignal): Promise<HistorySample[]> {
    const tags = this.tags.filter((t) => t.deviceId === deviceId && HISTORY_KINDS.has(t.as));
    const first = new Map<string, (typeof tags)[number]>();
    for (const t of tags) if (![...first.values()].some((f) => f.as === t.as)) first.set(t.tagReference, t);
    if (first.size === 0) return [];
    const now = this.ctx.clock.now();
    const contractId = tags[0].contractId;
    const historics = await this.client.historics(
      contractId,
      [deviceId],
      toBaxoTime(now - 24 * HOUR),
      toBaxoTime(now),
      [...first.keys()],
      signal,
    );
    const byTime = new Map<number, HistorySample>();
    for (const h of historics) {
      const tag = first.get(h.tagReference);
      if (!tag) continue;
      const key = tag.as === 'co2' ? 'co2' : tag.as === 'humidity' ? 'humidity' : 'temperature';
      for (const log of h.logs) {
        const value = numberOf(tag, parseTagValue(log.value));
        if (value === undefined) continue;
        const at = fromBaxoTime(log.timestamp);
        const sample = byTime.get(at) ?? { at };
        sample[key] = value;
        byTime.set(at, sample);
      }
    }
    return [...byTime.values()].sort((a, b) => a.at - b.at);
  }

  /**
   * Tags without `contractId` take the account's only contract. The list is read until it could be once: while it
   * cannot, the tags that name their contract work and the others wait (one warning), never dropped until restart.
   */
  private async resolveContracts(signal: AbortSignal): Promise<void> {
    if (this.contractsResolved) return;
    let only: string | undefined;
    let resolved = true;
    const unnamed = this.account.tags.filter((t) => !t.contractId);
    if (unnamed.length > 0) {
      try {
        const contracts = await this.client.contracts(signal);
        if (this.contractLog.clear()) this.log.info('the contract list can be read again');
        if (contracts.length === 1) only = contracts[0].id;
        else
          this.log.error(
            `the account has ${contracts.length} contracts: give "contractId" for each tag that has none ` +
              `(${unnamed.map((t) => t.tagReference).join(', ')}); those tags are skipped`,
          );
      } catch (err) {
        if (err instanceof AuthError || isAbort(err)) throw err;
        resolved = false;
        this.contractLog.warn(
          `the contract list could not be read (${describeError(err)}); the tags without "contractId" wait for it ` +
            `(${unnamed.map((t) => t.tagReference).join(', ')})`,
        );
      }
    }
    this.tags = this.account.tags.flatMap((t) => {
      const contractId = t.contractId ?? only;
      return contractId ? [{ ...t, contractId }] : [];
    });
    this.contractsResolved = resolved;
  }

  private contracts(): Map<string, ResolvedTag[]> {
    const by = new Map<string, ResolvedTag[]>();
    for (const t of this.tags) by.set(t.contractId, [...(by.get(t.contractId) ?? []), t]);
    return by;
  }

  private async refresh(signal: AbortSignal): Promise<void> {
    await this.resolveContracts(signal);
    const now = this.ctx.clock.now();
    if (now - this.catalogueAt >= HOUR) {
      for (const contractId of this.contracts().keys()) {
        for (const d of await this.client.devices(contractId, signal)) this.vendorDevices.set(d.id, d);
        this.cataloguedContracts.add(contractId);
      }
      this.catalogueAt = now;
      this.warnUnlisted();
    }
    for (const [contractId, tags] of this.contracts()) {
      const deviceIds = [...new Set(tags.map((t) => t.deviceId))];
      const logs = await this.client.realtimes(contractId, deviceIds, [...new Set(tags.map((t) => t.tagReference))], signal);
      this.record(tags, deviceIds, logs);
    }
    await this.seedPeriods(now, signal);
    if (this.account.listTags && !this.tagsListed) await this.listTags(signal);
    const devices = this.buildDevices(now);
    // While some tags wait for their contract, the list is short: no removal may start from it.
    if (this.contractsResolved) this.discovered(devices);
    else this.store.upsert(devices);
  }

  private record(tags: ResolvedTag[], deviceIds: string[], logs: RealtimeLog[]): void {
    const seen = new Set<string>();
    const configured = new Map(tags.map((t) => [`${t.deviceId}/${t.tagReference}`, t]));
    for (const log of logs) {
      // A single-device reply may omit the device: it is then the only device asked for.
      const device = log.device ?? (deviceIds.length === 1 ? deviceIds[0] : undefined);
      const key = `${device}/${log.tagReference}`;
      const tag = configured.get(key);
      if (!device || !tag) continue;
      seen.add(key);
      this.book.record(key, tag, { value: log.value, at: fromBaxoTime(log.timestamp), isEvent: log.isEvent });
    }
    for (const [key, tag] of configured) {
      if (seen.has(key)) continue;
      this.book.markMissing(key);
      this.once(`missing-tag:${key}`, () =>
        this.log.warn(
          `tag "${tag.tagReference}" of device ${tag.deviceId} is not in BAXO's replies: check its tagReference ` +
            '(its service shows a fault until it appears)',
        ),
      );
    }
  }

  /** A configured device the account's device list does not hold (a typo in `deviceId`): one warning each. */
  private warnUnlisted(): void {
    for (const t of this.tags) {
      if (!this.cataloguedContracts.has(t.contractId) || this.vendorDevices.has(t.deviceId)) continue;
      this.once(`missing-device:${t.deviceId}`, () =>
        this.log.warn(
          `device ${t.deviceId} is not in the device list of contract ${t.contractId}: check its deviceId (its services show a fault)`,
        ),
      );
    }
  }

  /**
   * The reporting period of a tag whose reading got older than the stale margin before two readings showed its
   * period, from its last hours of history (once per tag): a device reporting every 15 min is not flagged stale
   * after a restart, and one that stopped is. Without a history, an hour is assumed.
   */
  private async seedPeriods(now: number, signal: AbortSignal): Promise<void> {
    const margin = 3 * this.account.pollIntervalSeconds * 1000;
    const slow = this.tags.filter((t) => {
      const key = `${t.deviceId}/${t.tagReference}`;
      const r = this.book.reading(key, now, this.account.pollIntervalSeconds * 1000);
      return !this.periodLookedUp.has(key) && !this.book.knowsPeriod(key) && r !== undefined && !r.missing && now - r.at > margin;
    });
    if (slow.length === 0) return;
    for (const t of slow) this.periodLookedUp.add(`${t.deviceId}/${t.tagReference}`);
    const byContract = new Map<string, ResolvedTag[]>();
    for (const t of slow) byContract.set(t.contractId, [...(byContract.get(t.contractId) ?? []), t]);
    try {
      for (const [contractId, tags] of byContract) {
        const deviceIds = [...new Set(tags.map((t) => t.deviceId))];
        const refs = [...new Set(tags.map((t) => t.tagReference))];
        const historics = await this.client.historics(
          contractId,
          deviceIds,
          toBaxoTime(now - PERIOD_SEED_MS),
          toBaxoTime(now),
          refs,
          signal,
        );
        for (const h of historics) {
          const device = h.deviceIdentifier ?? h.deviceIdentifiant ?? (deviceIds.length === 1 ? deviceIds[0] : undefined);
          if (device)
            this.book.seedPeriod(
              `${device}/${h.tagReference}`,
              h.logs.map((l) => fromBaxoTime(l.timestamp)),
            );
        }
      }
    } catch (err) {
      if (err instanceof AuthError || isAbort(err)) throw err;
      this.log.debug(`tag periods not read from the history (${describeError(err)}); an hour is assumed until two readings came`);
    }
  }

  /** `listTags: true`: every tag of each configured device, once, to help writing the config. */
  private async listTags(signal: AbortSignal): Promise<void> {
    this.tagsListed = true;
    for (const [contractId, tags] of this.contracts()) {
      const deviceIds = [...new Set(tags.map((t) => t.deviceId))];
      try {
        const logs = await this.client.realtimes(contractId, deviceIds, [], signal);
        for (const id of deviceIds) {
          const mine = logs.filter((l) => (l.device ?? (deviceIds.length === 1 ? id : undefined)) === id);
          const name = this.vendorDevices.get(id)?.name ?? id;
          const list = mine.map((l) => `${l.tagReference} = ${JSON.stringify(l.value)}${l.isEvent ? ' (event)' : ''}`).join(', ');
          this.log.info(`tags of device ${id} "${name}" (contract ${contractId}): ${list || 'none'}`);
        }
      } catch (err) {
        if (err instanceof AuthError || isAbort(err)) throw err;
        this.log.warn(`the tags of contract ${contractId} could not be listed: ${describeError(err)}`);
      }
    }
  }

  private buildDevices(now: number) {
    const byDevice = new Map<string, ResolvedTag[]>();
    for (const t of this.tags) byDevice.set(t.deviceId, [...(byDevice.get(t.deviceId) ?? []), t]);
    return [...byDevice].map(([deviceId, tags]) => {
      const readings = new Map<string, TagReading>();
      for (const t of tags) {
        const r = this.book.reading(`${deviceId}/${t.tagReference}`, now, this.account.pollIntervalSeconds * 1000);
        if (r) readings.set(t.tagReference, r);
      }
      const vendor = this.vendorDevices.get(deviceId);
      const unlisted = this.cataloguedContracts.has(tags[0].contractId) && !vendor;
      return baxoDevice(deviceId, vendor?.name ?? undefined, vendor?.status, tags, readings, unlisted);
    });
  }
}
