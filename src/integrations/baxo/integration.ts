import { RejectedError } from '../../core/errors';
import type { Command, HistorySample } from '../../core/model';
import type { PollLoop } from '../../core/pollLoop';
import type { DeviceWrites, WriteBatcher } from '../../core/writeBatcher';
import { BaseIntegration } from '../base';
import type { IntegrationContext } from '../integration';
import { BaxoClient } from './client';
import { baxoDevice, HISTORY_KINDS, numberOf, type TagConfig, type TagReading, writeValueOf } from './devices';
import type { BaxoDevice } from './schemas';
import { fromBaxoTime, isStale, parseTagValue, toBaxoTime } from './values';
import type { BaxoAccount } from './account';

const HOUR = 3_600_000;

interface Reading extends TagReading {
  /** Gap between the last two readings: the tag's usual period. */
  periodMs: number;
}

export class BaxoIntegration extends BaseIntegration {
  readonly client: BaxoClient;
  private readonly poll: PollLoop;
  private readonly writes: WriteBatcher;
  /** Tags with their contract resolved. */
  private tags: Array<TagConfig & { contractId: string }> = [];
  private contractsResolved = false;
  private catalogueAt = -Infinity;
  private readonly vendorDevices = new Map<string, BaxoDevice>();
  private readonly readings = new Map<string, Reading>();

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
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.startLoops(signal, this.poll);
  }

  async execute(deviceId: string, command: Command): Promise<void> {
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

  private async resolveContracts(signal: AbortSignal): Promise<void> {
    if (this.contractsResolved) return;
    let only: string | undefined;
    if (this.account.tags.some((t) => !t.contractId)) {
      const contracts = await this.client.contracts(signal);
      if (contracts.length === 1) only = contracts[0].id;
      else
        this.log.error(
          `the account has ${contracts.length} contracts: give "contractId" for each tag that has none (${this.account.tags
            .filter((t) => !t.contractId)
            .map((t) => t.tagReference)
            .join(', ')}); those tags are skipped`,
        );
    }
    this.tags = this.account.tags.flatMap((t) => {
      const contractId = t.contractId ?? only;
      return contractId ? [{ ...t, contractId }] : [];
    });
    this.contractsResolved = true;
  }

  private contracts(): Map<string, Array<TagConfig & { contractId: string }>> {
    const by = new Map<string, Array<TagConfig & { contractId: string }>>();
    for (const t of this.tags) by.set(t.contractId, [...(by.get(t.contractId) ?? []), t]);
    return by;
  }

  private async refresh(signal: AbortSignal): Promise<void> {
    await this.resolveContracts(signal);
    const now = this.ctx.clock.now();
    if (now - this.catalogueAt >= HOUR) {
      for (const contractId of this.contracts().keys())
        for (const d of await this.client.devices(contractId, signal)) this.vendorDevices.set(d.id, d);
      this.catalogueAt = now;
    }
    for (const [contractId, tags] of this.contracts()) {
      const deviceIds = [...new Set(tags.map((t) => t.deviceId))];
      const logs = await this.client.realtimes(contractId, deviceIds, [...new Set(tags.map((t) => t.tagReference))], signal);
      for (const log of logs) {
        // A single-device reply may omit the device: it is then the only device asked for.
        const device = log.device ?? (deviceIds.length === 1 ? deviceIds[0] : undefined);
        if (!device) continue;
        const key = `${device}/${log.tagReference}`;
        const at = fromBaxoTime(log.timestamp);
        const before = this.readings.get(key);
        const periodMs = before && at > before.at ? at - before.at : (before?.periodMs ?? 0);
        this.readings.set(key, { value: log.value, at, isEvent: log.isEvent, stale: false, periodMs });
      }
    }
    this.discovered(this.buildDevices(now));
  }

  private buildDevices(now: number) {
    const byDevice = new Map<string, TagConfig[]>();
    for (const t of this.tags) byDevice.set(t.deviceId, [...(byDevice.get(t.deviceId) ?? []), t]);
    return [...byDevice].map(([deviceId, tags]) => {
      const readings = new Map<string, TagReading>();
      for (const t of tags) {
        const r = this.readings.get(`${deviceId}/${t.tagReference}`);
        if (r) readings.set(t.tagReference, { ...r, stale: isStale(r.at, now, this.account.pollIntervalSeconds * 1000, r.periodMs) });
      }
      const vendor = this.vendorDevices.get(deviceId);
      return baxoDevice(deviceId, vendor?.name ?? undefined, vendor?.status, tags, readings);
    });
  }
}
