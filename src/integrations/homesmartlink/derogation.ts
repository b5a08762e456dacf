import { localDateMinutesToEpoch, localParts, nextDate } from '../../core/time';
import type { Derogation } from './schemas';

export const MAX_DELTA = 5;
const SLOT = 5;
const MINUTES_PER_DAY = 24 * 60;

export interface WindowPart {
  date: string;
  startTime: number;
  endTime: number;
}

/**
 * The derogation window for "now": start rounded down to 5 minutes, end = start + duration rounded up to 5 minutes,
 * in the home's local time. A window crossing midnight becomes two parts (today until 24:00, tomorrow from 00:00),
 * sent as two calls because the API wants one start/end per call.
 */
export function planWindow(now: number, durationMinutes: number, timeZone?: string): WindowPart[] {
  const { date, minutes } = localParts(now, timeZone);
  const start = Math.floor(minutes / SLOT) * SLOT;
  const end = Math.ceil((start + durationMinutes) / SLOT) * SLOT;
  if (end <= MINUTES_PER_DAY) return [{ date, startTime: start, endTime: end }];
  return [
    { date, startTime: start, endTime: MINUTES_PER_DAY },
    { date: nextDate(date), startTime: 0, endTime: Math.min(end - MINUTES_PER_DAY, MINUTES_PER_DAY) },
  ];
}

/** The rest of a window that ends at `until` (a window end from planWindow), from now's 5-minute slot. */
export function planWindowUntil(now: number, until: number, timeZone?: string): WindowPart[] {
  const { minutes, seconds } = localParts(now, timeZone);
  const fromSlot = (until - now) / 60_000 + (minutes % SLOT) + seconds / 60;
  return planWindow(now, Math.max(SLOT, Math.round(fromSlot)), timeZone);
}

/** When a window part starts and ends, as instants. */
export function partInstants(part: WindowPart, timeZone?: string): { startsAt: number; endsAt: number } {
  return {
    startsAt: localDateMinutesToEpoch(part.date, part.startTime, timeZone),
    endsAt: localDateMinutesToEpoch(part.date, part.endTime, timeZone),
  };
}

export interface DeltaPlan {
  delta: number;
  /** What the user asked for, before clamping to ±5 °C. */
  wanted: number;
  clamped: boolean;
}

/** A HomeKit target becomes a delta from the schedule's setpoint: round(target - base), clamped to ±5. */
export function deltaFor(target: number, base: number): DeltaPlan {
  const wanted = roundHalfAwayFromZero(target - base);
  const delta = Math.max(-MAX_DELTA, Math.min(MAX_DELTA, wanted));
  return { delta: delta === 0 ? 0 : delta, wanted, clamped: delta !== wanted };
}

export interface RoomDelta {
  homeId: string;
  roomId: number;
  delta: number;
}

/** One derogation list per window part: each list is one /derogations call (same start and end for all). */
export function buildDerogationCalls(rooms: RoomDelta[], parts: WindowPart[]): Derogation[][] {
  return parts.map((part) => rooms.map((r) => ({ homeId: r.homeId, roomId: r.roomId, delta: r.delta, ...part })));
}

/** When the last part of a window ends, as an instant: now + the window's remaining minutes. */
export function windowEndsAt(now: number, parts: WindowPart[], timeZone?: string): number {
  const { minutes, seconds } = localParts(now, timeZone);
  const first = parts[0];
  const last = parts[parts.length - 1];
  const remaining = parts.length === 1 ? first.endTime - minutes : MINUTES_PER_DAY - minutes + last.endTime;
  return now + remaining * 60_000 - seconds * 1000;
}

function roundHalfAwayFromZero(n: number): number {
  return Math.sign(n) * Math.round(Math.abs(n));
}
