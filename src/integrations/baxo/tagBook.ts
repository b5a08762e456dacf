import { z } from 'zod';
import type { StateFile } from '../../core/stateFile';
import { boolOf, type TagConfig, type TagReading } from './devices';
import { isStale, parseTagValue } from './values';

/** Until a tag's period is known (history unreadable, one reading so far), readings are judged against an hour. */
export const UNKNOWN_PERIOD_MS = 60 * 60_000;

export const latchesSchema = z.record(z.string(), z.object({ latchedAt: z.number().optional(), resetAt: z.number().optional() }));
export type Latches = z.output<typeof latchesSchema>;

interface Entry {
  value: unknown;
  at: number;
  isEvent: boolean;
  /** Gap between the tag's last two readings: its usual period. */
  periodMs?: number;
  /** Events seen since start (an event tag's timestamp moved on). */
  presses: number;
}

/**
 * What each configured tag ("device/tag") last read: value, time, period, presses, whether the last reply held it,
 * and latched alarms (kept under the storage dir: a restart must not hide a leak that nobody reset).
 */
export class TagBook {
  private readonly entries = new Map<string, Entry>();
  private readonly missing = new Set<string>();
  private readonly latches: Latches;

  constructor(private readonly latchFile?: StateFile<Latches>) {
    this.latches = latchFile?.read() ?? {};
  }

  /** Seeds the period from a history: the gap between its two newest distinct timestamps. */
  seedPeriod(key: string, timestamps: number[]): void {
    const sorted = [...new Set(timestamps)].sort((a, b) => b - a);
    if (sorted.length < 2) return;
    const entry = this.entries.get(key);
    const periodMs = sorted[0] - sorted[1];
    if (entry) entry.periodMs = periodMs;
    else this.entries.set(key, { value: undefined, at: -Infinity, isEvent: false, periodMs, presses: 0 });
  }

  record(key: string, tag: TagConfig, log: { value: unknown; at: number; isEvent: boolean }): void {
    this.missing.delete(key);
    const before = this.entries.get(key);
    const newer = before !== undefined && Number.isFinite(before.at) && log.at > before.at;
    const entry: Entry = {
      value: log.value,
      at: log.at,
      isEvent: log.isEvent,
      periodMs: newer ? log.at - before.at : before?.periodMs,
      // The first reading after a start is no press: it may be an event from before.
      presses: (before?.presses ?? 0) + (newer && log.isEvent ? 1 : 0),
    };
    this.entries.set(key, entry);
    if (tag.latch && boolOf(tag, parseTagValue(log.value)) === true) {
      const latch = this.latches[key] ?? {};
      if (latch.latchedAt === undefined && log.at > (latch.resetAt ?? -Infinity)) {
        this.latches[key] = { ...latch, latchedAt: log.at };
        this.latchFile?.write(this.latches);
      }
    }
  }

  knowsPeriod(key: string): boolean {
    return this.entries.get(key)?.periodMs !== undefined;
  }

  /** The last reply that should have held this tag did not. */
  markMissing(key: string): void {
    this.missing.add(key);
  }

  isMissing(key: string): boolean {
    return this.missing.has(key);
  }

  /** Clears a latched alarm: only a reading newer than now latches it again. */
  reset(key: string, now: number): void {
    this.latches[key] = { resetAt: now };
    this.latchFile?.write(this.latches);
  }

  reading(key: string, now: number, pollIntervalMs: number): TagReading | undefined {
    const e = this.entries.get(key);
    const latched = this.latches[key]?.latchedAt !== undefined;
    const missing = this.missing.has(key);
    if (!e || !Number.isFinite(e.at))
      return missing || latched ? { value: undefined, at: 0, isEvent: false, stale: false, missing, latched } : undefined;
    const stale = isStale(e.at, now, pollIntervalMs, e.periodMs ?? UNKNOWN_PERIOD_MS);
    return { value: e.value, at: e.at, isEvent: e.isEvent, stale, missing, latched, presses: e.presses };
  }
}
