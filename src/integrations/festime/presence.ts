import { localParts } from '../../core/time';
import type { BadgeEvent } from './parse';

export type PresenceState = 'present' | 'absent' | 'break';

export interface Presence {
  uid: string;
  name: string;
  state: PresenceState;
  at: number;
  accessPoint: string;
}

/** The last reset instant at or before `now`: today at `resetHour` local time, or yesterday's if that is still ahead. */
export function lastReset(now: number, resetHour: number, timeZone?: string): number {
  const { minutes, seconds } = localParts(now, timeZone);
  const sinceMidnight = (minutes * 60 + seconds) * 1000;
  const resetOffset = resetHour * 3_600_000;
  const back = sinceMidnight >= resetOffset ? sinceMidnight - resetOffset : sinceMidnight + 86_400_000 - resetOffset;
  return now - back;
}

/** How far ahead of our clock a badge event may be dated (the terminal's clock and ours differ a little). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

/**
 * Presence per person = their last movement since the last reset: A -> present, D -> absent, P -> break.
 * People who forgot to badge out are absent again after the reset hour. Events are applied in time order. An event
 * dated more than 10 minutes ahead of `now` (a terminal with a wrong clock) is not evidence of anything: left out.
 */
export function presenceFrom(events: Iterable<BadgeEvent>, since: number, now = Infinity): Map<string, Presence> {
  const sorted = [...events]
    .filter((e) => e.at >= since && e.at <= now + FUTURE_TOLERANCE_MS)
    .sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
  const out = new Map<string, Presence>();
  for (const e of sorted) {
    const state: PresenceState | undefined =
      e.movement === 'A' ? 'present' : e.movement === 'D' ? 'absent' : e.movement === 'P' ? 'break' : undefined;
    if (!state) continue;
    out.set(e.uid, { uid: e.uid, name: e.name, state, at: e.at, accessPoint: e.accessPoint });
  }
  return out;
}

export function isPresent(p: Presence | undefined, breakCountsAsPresent: boolean): boolean {
  return p !== undefined && (p.state === 'present' || (p.state === 'break' && breakCountsAsPresent));
}
