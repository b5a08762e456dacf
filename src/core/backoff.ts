/**
 * Exponential backoff with full jitter (AWS architecture blog): a random delay in [0, min(cap, base * 2^attempt)].
 * `attempt` starts at 0. `floorMs` keeps a minimum so a jitter of ~0 cannot turn into a tight loop.
 */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number, floorMs = 0): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(floorMs, Math.round(random() * ceiling));
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from `now`; undefined when absent or invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
