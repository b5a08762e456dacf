import type { Capability, Device, SensorType } from '../../core/model';
import { type TagValue, parseTagValue } from './values';

export const MANUFACTURER = 'BAMO BAXO';
export const TAG_KINDS = [
  'temperature',
  'humidity',
  'co2',
  'airQuality',
  'light',
  'contact',
  'leak',
  'motion',
  'occupancy',
  'smoke',
  'battery',
  'switch',
  'outlet',
  'button',
] as const;
export type TagKind = (typeof TAG_KINDS)[number];

export interface TagConfig {
  contractId?: string;
  deviceId: string;
  tagReference: string;
  as: TagKind;
  name?: string;
  /** value * scale + offset, for numbers (unit conversions). */
  scale?: number;
  offset?: number;
  /** Flips a boolean reading (a contact that reports 1 when closed). */
  invert?: boolean;
  /** A number at or above it reads as true, for boolean kinds fed by a measurement (a tank level alarm). */
  threshold?: number;
  /** Boolean kinds: once true, stays true until reset with its "Reset" switch (an event tag's alarm). */
  latch?: boolean;
}

export interface TagReading {
  value: unknown;
  at: number;
  isEvent: boolean;
  stale: boolean;
  /** The last reply that should have held the tag did not (a typo in `tagReference`, a tag removed). */
  missing?: boolean;
  /** A latched alarm that nobody reset. */
  latched?: boolean;
  /** Events seen since start (button tags). */
  presses?: number;
}

/** The readings the Eve app graphs ("room" history). */
export const HISTORY_KINDS: ReadonlySet<TagKind> = new Set(['temperature', 'humidity', 'co2']);
const BOOLEAN_KINDS: ReadonlySet<TagKind> = new Set(['contact', 'leak', 'motion', 'occupancy', 'smoke', 'switch', 'outlet']);

export function numberOf(tag: TagConfig, v: TagValue): number | undefined {
  const n = v.number === undefined ? undefined : v.number * (tag.scale ?? 1) + (tag.offset ?? 0);
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

export function boolOf(tag: TagConfig, v: TagValue): boolean | undefined {
  const n = numberOf(tag, v);
  const b =
    tag.threshold !== undefined ? (n === undefined ? undefined : n >= tag.threshold) : (v.bool ?? (n === undefined ? undefined : n !== 0));
  return b === undefined ? undefined : tag.invert ? !b : b;
}

/** The value a switch tag is written with: 1/0, inverted when the tag is. */
export function writeValueOf(tag: TagConfig, on: boolean): string {
  return (tag.invert ? !on : on) ? '1' : '0';
}

export const RESET_SUFFIX = '#reset';

/** One tag -> its capabilities (HomeKit services): one, plus a "Reset" switch for a latched alarm. */
export function tagCapabilities(tag: TagConfig, reading: TagReading | undefined): Capability[] {
  const main = tagCapability(tag, reading);
  if (!tag.latch || !BOOLEAN_KINDS.has(tag.as)) return [main];
  const name = `Reset ${tag.name ?? tag.tagReference}`;
  return [main, { kind: 'switch', id: `${tag.tagReference}${RESET_SUFFIX}`, name, on: false }];
}

/** One tag -> one capability (one HomeKit service), named by `name` or the tag reference. */
export function tagCapability(tag: TagConfig, reading: TagReading | undefined): Capability {
  const fault = Boolean(reading?.stale || reading?.missing);
  const base = { id: tag.tagReference, name: tag.name ?? tag.tagReference, fault };
  const v = parseTagValue(reading?.value);
  if (tag.as === 'button') return { id: base.id, name: base.name, kind: 'button', presses: reading?.presses ?? 0 };
  if (tag.as === 'switch' || tag.as === 'outlet') return { ...base, kind: tag.as, on: boolOf(tag, v) ?? false };
  if (tag.as === 'battery') {
    const level = numberOf(tag, v);
    return { ...base, kind: 'battery', level, low: level !== undefined && level < 20 };
  }
  const boolean = reading?.latched === true ? true : boolOf(tag, v);
  const value = reading === undefined ? undefined : BOOLEAN_KINDS.has(tag.as) ? boolean : numberOf(tag, v);
  return { ...base, kind: 'sensor', sensor: tag.as as SensorType, value, ...(HISTORY_KINDS.has(tag.as) ? { history: true } : {}) };
}

/** A BAXO device with at least one configured tag; status 1 (inactive) or 2 (suspended) shows No Response. */
export function baxoDevice(
  deviceId: string,
  name: string | undefined,
  status: number | undefined,
  tags: TagConfig[],
  readings: Map<string, TagReading>,
  /** The device is not in the account's device list: every service shows a fault. */
  unlisted = false,
): Device {
  return {
    id: deviceId,
    name: name?.trim() || `BAXO ${deviceId}`,
    manufacturer: MANUFACTURER,
    model: 'BAXO Connect device',
    serial: deviceId,
    available: status === undefined || status === 0,
    capabilities: tags
      .flatMap((t) => tagCapabilities(t, readings.get(t.tagReference)))
      .map((c) => (unlisted && c.kind !== 'button' ? { ...c, fault: true } : c)),
  };
}
