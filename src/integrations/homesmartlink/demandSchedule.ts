import { z } from 'zod';
import { localDateMinutesToEpoch, localParts, nextDate } from '../../core/time';
import type { WindowPart } from './derogation';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
const WEEKDAYS: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri'];

const clockTime = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)')
  .transform((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3)));

/**
 * A daily "Eco all" / "Boost all" window, e.g. { mode: "eco", start: "17:00", end: "19:00" } on weekdays. Times are
 * the account's time zone, on 5-minute steps (the API's), inside one day.
 */
export const demandWindowSchema = z
  .object({
    mode: z.enum(['eco', 'boost']),
    start: clockTime,
    end: clockTime,
    days: z.array(z.enum(DAYS)).min(1).default(WEEKDAYS),
  })
  .refine((w) => w.start % 5 === 0 && w.end % 5 === 0, { message: 'start and end must be on 5-minute steps', path: ['start'] })
  .refine((w) => w.end > w.start, { message: 'end must be after start, on the same day', path: ['end'] });
export type DemandWindow = z.output<typeof demandWindowSchema>;

export interface DemandOccurrence {
  window: DemandWindow;
  /** Instants of the occurrence's start and end. */
  startsAt: number;
  endsAt: number;
  /** The part of it that is still to come from `now` (start rounded down to 5 minutes), as one derogation call. */
  part: WindowPart;
}

/** The occurrence in progress at `now`, else the next one to start (within the coming 8 days), else undefined. */
export function nextDemandOccurrence(windows: DemandWindow[], now: number, timeZone: string): DemandOccurrence | undefined {
  let date = localParts(now, timeZone).date;
  let best: DemandOccurrence | undefined;
  for (let i = 0; i < 8 && !best; i++, date = nextDate(date)) {
    const day = dayOf(date);
    for (const window of windows) {
      if (!window.days.includes(day)) continue;
      const startsAt = localDateMinutesToEpoch(date, window.start, timeZone);
      const endsAt = localDateMinutesToEpoch(date, window.end, timeZone);
      if (endsAt <= now) continue;
      const { minutes } = localParts(Math.max(now, startsAt), timeZone);
      const startTime = Math.max(window.start, Math.floor(minutes / 5) * 5);
      const occurrence = { window, startsAt, endsAt, part: { date, startTime, endTime: window.end } };
      if (!best || startsAt < best.startsAt) best = occurrence;
    }
  }
  return best;
}

function dayOf(date: string): Day {
  // 2024-01-01 was a Monday; the date's UTC noon avoids any zone question.
  const days = Math.round((Date.parse(`${date}T12:00:00Z`) - Date.parse('2024-01-01T12:00:00Z')) / 86_400_000);
  return DAYS[((days % 7) + 7) % 7];
}
