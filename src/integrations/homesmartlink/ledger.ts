import { z } from 'zod';
import type { StateFile } from '../../core/stateFile';

const recordSchema = z.object({
  delta: z.number().int(),
  /**
   * The setpoint this derogation leads to (schedule + delta), shown while the heater's report predates it; absent when
   * the room's setpoint was never read (an offline room in an "Eco all").
   */
  target: z.number().optional(),
  sentAt: z.number(),
  until: z.number(),
});
export type DerogationRecord = z.output<typeof recordSchema>;

export const ledgerSchema = z.object({
  rooms: z.record(z.string(), z.array(recordSchema)).default({}),
  demand: z.object({ kind: z.enum(['boost', 'eco']), until: z.number() }).nullish(),
});
export type LedgerState = z.output<typeof ledgerSchema>;

/** A room keeps a few records: a report can predate the newest ones, and is read against the one in force then. */
const KEPT_PER_ROOM = 6;

/**
 * The derogations this plugin sent, by "homeId:roomId", and the Boost/Eco state; kept under the storage dir so a
 * restart inside a window neither forgets a Boost nor computes a delta from a setpoint that already holds ours.
 */
export class DerogationLedger {
  private state: LedgerState;

  constructor(
    private readonly file: StateFile<LedgerState> | undefined,
    private readonly now: () => number,
  ) {
    this.state = file?.read() ?? { rooms: {}, demand: null };
    this.prune();
  }

  record(key: string, rec: DerogationRecord): void {
    this.state.rooms[key] = [...(this.state.rooms[key] ?? []), rec].slice(-KEPT_PER_ROOM);
    this.save();
  }

  /** The newest derogation of ours that was in force at `instant` (a heater report's time). */
  inForceAt(key: string, instant: number | undefined): DerogationRecord | undefined {
    if (instant === undefined) return undefined;
    return this.state.rooms[key]?.filter((r) => r.sentAt <= instant && instant < r.until).at(-1);
  }

  /** The newest derogation of ours whose window has not ended. */
  current(key: string): DerogationRecord | undefined {
    const now = this.now();
    return this.state.rooms[key]?.filter((r) => r.until > now).at(-1);
  }

  get demand(): { boost: boolean; eco: boolean } {
    const d = this.state.demand;
    const on = d !== null && d !== undefined && d.until > this.now();
    return { boost: on && d.kind === 'boost', eco: on && d.kind === 'eco' };
  }

  get demandUntil(): number | undefined {
    const d = this.state.demand;
    return d && d.until > this.now() ? d.until : undefined;
  }

  setDemand(kind: 'boost' | 'eco' | null, until = 0): void {
    this.state.demand = kind === null ? null : { kind, until };
    this.save();
  }

  private prune(): void {
    // A record is kept while a report from inside its window may still come: a day after its end is plenty.
    const horizon = this.now() - 24 * 60 * 60_000;
    for (const [key, list] of Object.entries(this.state.rooms)) {
      const kept = list.filter((r) => r.until > horizon);
      if (kept.length > 0) this.state.rooms[key] = kept;
      else delete this.state.rooms[key];
    }
  }

  private save(): void {
    this.prune();
    this.file?.write(this.state);
  }
}
