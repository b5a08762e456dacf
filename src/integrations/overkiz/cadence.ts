import type { AuthError } from '../../core/errors';
import { LoginBannedError } from './errors';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * After a refused login: 3 more tries in the first hour (after 5, 15 and 30 more minutes), then one every 6 hours;
 * a ban ("too many attempts", "temporarily banned") waits at least an hour. Overkiz bans accounts that retry a
 * wrong password often; a user who fixes the password restarts Homebridge (or saves the settings) anyway.
 */
export function loginRetryMs(refusedInARow: number, err: AuthError): number {
  const schedule = [5 * MINUTE, 15 * MINUTE, 30 * MINUTE];
  const delay = schedule[refusedInARow - 1] ?? 6 * HOUR;
  return err instanceof LoginBannedError ? Math.max(HOUR, delay) : delay;
}

/** How long after one of our executions the event fetch stays at its fast pace (its progress and result). */
export const ACTIVE_AFTER_EXEC_MS = 60_000;
