/** Wall-clock parts of an instant in an IANA time zone (undefined = the host's zone). */
export interface LocalParts {
  /** YYYY-MM-DD */
  date: string;
  /** minutes since local midnight */
  minutes: number;
  seconds: number;
}

/** One formatter per zone: making one costs far more than using it (8,000 badge rows parsed at every poll). */
const formatters = new Map<string | undefined, Intl.DateTimeFormat>();

function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

export function localParts(instant: number, timeZone?: string): LocalParts {
  const fmt = formatterFor(timeZone);
  const p = Object.fromEntries(fmt.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minutes: Number(p.hour) * 60 + Number(p.minute), seconds: Number(p.second) };
}

/** The calendar day after YYYY-MM-DD. */
export function nextDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The instant at which the wall clock of `timeZone` shows the given local date and time. */
export function zonedTimeToEpoch(
  local: { year: number; month: number; day: number; hour: number; minute: number; second: number },
  timeZone?: string,
): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  // Zone offsets change on the hour: one computation per local hour (thousands of badge rows share a few).
  const key = `${timeZone ?? ''}|${local.year}-${local.month}-${local.day}T${local.hour}`;
  const known = offsets.get(key);
  if (known !== undefined) return asUtc + known;
  let guess = asUtc;
  // Two rounds settle the zone offset, including on DST change days.
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, timeZone);
    const [y, m, d] = p.date.split('-').map(Number);
    const shown = Date.UTC(y, m - 1, d, Math.floor(p.minutes / 60), p.minutes % 60, p.seconds);
    guess += asUtc - shown;
  }
  if (offsets.size > 10_000) offsets.clear();
  offsets.set(key, guess - asUtc);
  return guess;
}

const offsets = new Map<string, number>();

/** The instant of a local date (YYYY-MM-DD) and minutes since its midnight (1440 = the next midnight) in a zone. */
export function localDateMinutesToEpoch(date: string, minutes: number, timeZone?: string): number {
  const day = minutes >= 24 * 60 ? nextDate(date) : date;
  const m = minutes % (24 * 60);
  const [y, mo, d] = day.split('-').map(Number);
  return zonedTimeToEpoch({ year: y, month: mo, day: d, hour: Math.floor(m / 60), minute: m % 60, second: 0 }, timeZone);
}

/** "DD/MM/YYYY" of an instant in a zone. */
export function frenchDate(instant: number, timeZone?: string): string {
  const [y, m, d] = localParts(instant, timeZone).date.split('-');
  return `${d}/${m}/${y}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** "HH:MM" of minutes since midnight. */
export function hhmm(minutes: number): string {
  return `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

/** "DD/MM/YYYY HH:MM:SS" of an instant in a zone (the French vendors' timestamps). */
export function frenchDateTime(instant: number, timeZone?: string): string {
  const p = localParts(instant, timeZone);
  return `${frenchDate(instant, timeZone)} ${hhmm(p.minutes)}:${two(p.seconds)}`;
}
