import type { Device } from './model';

/** A device matches an entry by its id, its name (any case) or one of its kinds ("cover", "thermostat", "sensor"…). */
function matches(entry: string, d: Device): boolean {
  const e = entry.toLowerCase();
  return entry === d.id || e === d.name.toLowerCase() || e === d.model.toLowerCase() || d.capabilities.some((c) => c.kind === e);
}

/**
 * The account's include / exclude lists: with an include list only the devices it names are shown; an excluded one
 * never is (also one shown before: its accessory is removed at the next start).
 */
export function deviceFilter(lists: { include: readonly string[]; exclude: readonly string[] }): (d: Device) => boolean {
  return (d) => (lists.include.length === 0 || lists.include.some((e) => matches(e, d))) && !lists.exclude.some((e) => matches(e, d));
}
