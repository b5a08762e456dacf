/** BAXO timestamps count seconds from 2000-01-01T00:00:00Z. */
export const BAXO_EPOCH_MS = Date.UTC(2000, 0, 1);

export function fromBaxoTime(seconds: number): number {
  return BAXO_EPOCH_MS + seconds * 1000;
}

export function toBaxoTime(epochMs: number): number {
  return Math.floor((epochMs - BAXO_EPOCH_MS) / 1000);
}

export interface TagValue {
  raw: string;
  /** "21.5", "21,5", "-3", "1e3" */
  number?: number;
  /** "true"/"false", "1"/"0" (also numbers) */
  bool?: boolean;
}

/** Values arrive as strings: numbers with "." or "," decimals, booleans as 0/1/true/false; raw text is kept. */
export function parseTagValue(value: unknown): TagValue {
  const raw = value === null || value === undefined ? '' : String(value).trim();
  const out: TagValue = { raw };
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === 'false') out.bool = lower === 'true';
  const normalised = raw.replace(',', '.');
  // "1e999" is a number's spelling but no reading: beyond a double it would show as the edge of HomeKit's range
  if (raw !== '' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normalised) && Number.isFinite(Number(normalised))) {
    out.number = Number(normalised);
    if (out.number === 0 || out.number === 1) out.bool = out.number === 1;
  }
  return out;
}

/** Stale when the latest reading is older than 3 poll intervals plus the tag's usual period between readings. */
export function isStale(readingAt: number, now: number, pollIntervalMs: number, usualPeriodMs = 0): boolean {
  // dated more than 10 minutes ahead (or not a date): a clock that cannot be trusted, never "fresh forever"
  if (!Number.isFinite(readingAt) || readingAt > now + FUTURE_TOLERANCE_MS) return true;
  return now - readingAt > 3 * pollIntervalMs + usualPeriodMs;
}

/** How far ahead of our clock a reading may be dated (the vendor's clock and ours differ a little). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;
