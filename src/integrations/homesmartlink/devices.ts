import type { Device, HeatingMode, SwitchCapability, ThermostatCapability } from '../../core/model';
import type { DerogationRecord } from './ledger';
import type { ConfigReply, HslDevice } from './schemas';

export const MANUFACTURER = 'HomeSmartlink';
export const THERMOSTAT_CATEGORIES = ['Heater', 'TowelDryier', 'Fireplace', 'Furnace'] as const;
export const DEMAND_RESPONSE_ID = 'demand-response';
const CATEGORY_MODEL: Record<string, string> = { Heater: 'Heater', TowelDryier: 'Towel dryer', Fireplace: 'Fireplace', Furnace: 'Furnace' };

export function deviceIdOf(homeId: string, header: string): string {
  return `${homeId}:${header}`;
}

/** Stop = off; Antifreeze, Manual and Prog all heat (to their own setpoint). */
export function modeOf(mode: string | null | undefined): HeatingMode | undefined {
  if (!mode) return undefined;
  return mode.toLowerCase() === 'stop' ? 'off' : 'heat';
}

/** `lastUpdate` as an instant: an ISO date, or epoch seconds / milliseconds; the doc's default 0 means "never". */
export function instantOf(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined || value === 0 || value === '') return undefined;
  const n = typeof value === 'number' ? (value < 1e11 ? value * 1000 : value) : Date.parse(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The target Home shows: the heater's own setpoint, except while our newest derogation is newer than the heater's
 * last report (`sp` lags: it is the device's last report, next to `lastUpdate`), when the derogation's target shows.
 */
export function shownTarget(
  sp: number | undefined,
  lastUpdate: number | undefined,
  ours: DerogationRecord | undefined,
): number | undefined {
  if (ours?.target !== undefined && (lastUpdate === undefined || lastUpdate < ours.sentAt)) return ours.target;
  return sp;
}

/** What a heater reported, for the delta of the next derogation. */
export interface Reading {
  sp?: number;
  lastUpdate?: number;
}

export interface RoomRef {
  homeId: string;
  roomId: number;
  header: string;
}

export interface MapHomeInput {
  homeId: string;
  reply: ConfigReply;
  now: number;
  /** Last known device by id: an offline device keeps its last setpoint and mode. */
  previous?: (id: string) => Device | undefined;
  /** Devices whose last derogation was not received by their gateway. */
  undelivered?: ReadonlySet<string>;
  /** From the invitations (`gatewayEnabled` and `hasGateway`); undefined when the home was not found through them. */
  gatewayConnected?: boolean;
  /** A report older than this is a fault: `online` only says "reported in the last 3 days". */
  staleAfterMs: number;
  /** Our newest derogation still in force in a room. */
  derogation?: (roomId: number) => DerogationRecord | undefined;
}

/** The device ids a /config reply lists more than once (only the first of each is used). */
export function duplicateHeaders(reply: MapHomeInput['reply']): string[] {
  const seen = new Set<string>();
  return [...new Set(reply.reply.map((d) => d.header).filter((h) => seen.has(h) || !seen.add(h)))];
}

/**
 * /config reply -> one thermostat Device per heater-like device, named after its room (numbered when a room has
 * several). A device listed twice is one device: the first entry is used (see duplicateHeaders).
 */
export function mapHome(input: MapHomeInput): Array<{ device: Device; room: RoomRef; reading: Reading }> {
  const { homeId, reply, now } = input;
  const first = new Set<string>();
  // A device already shown whose category turns into one we do not know is still listed by the vendor: it keeps its
  // accessory and last values and shows a fault, instead of counting as gone (a removal after 10 minutes).
  const shownBefore = (d: HslDevice) => input.previous?.(deviceIdOf(homeId, d.header)) !== undefined;
  const heaters = reply.reply
    .filter((d) => !first.has(d.header) && Boolean(first.add(d.header)))
    .filter((d) => knownCategory(d) || shownBefore(d))
    .sort((a, b) => a.roomId - b.roomId || a.header.localeCompare(b.header));
  const perRoom = new Map<number, number>();
  for (const d of heaters) perRoom.set(d.roomId, (perRoom.get(d.roomId) ?? 0) + 1);
  const seen = new Map<number, number>();
  return heaters.map((d) => {
    const n = (seen.get(d.roomId) ?? 0) + 1;
    seen.set(d.roomId, n);
    const roomName = d.roomName.trim() || `Room ${d.roomId}`;
    const name = (perRoom.get(d.roomId) ?? 1) > 1 ? `${roomName} ${n}` : roomName;
    const id = deviceIdOf(homeId, d.header);
    const reading: Reading = { sp: d.sp ?? undefined, lastUpdate: instantOf(d.lastUpdate) };
    const stale = reading.lastUpdate !== undefined && now - reading.lastUpdate > input.staleAfterMs;
    const fault = input.gatewayConnected === false || stale || Boolean(input.undelivered?.has(id)) || !knownCategory(d);
    const target = shownTarget(reading.sp, reading.lastUpdate, input.derogation?.(d.roomId));
    const device = thermostatDevice(id, name, d, { fault, target }, input.previous?.(id));
    return { device, room: { homeId, roomId: d.roomId, header: d.header }, reading };
  });
}

function thermostatDevice(
  id: string,
  name: string,
  d: HslDevice,
  shown: { fault: boolean; target: number | undefined },
  previous: Device | undefined,
): Device {
  const before = previous?.capabilities.find((c): c is ThermostatCapability => c.kind === 'thermostat');
  const mode = modeOf(d.mode) ?? before?.mode ?? 'heat';
  const currentTemperature = d.pv ?? before?.currentTemperature;
  const thermostat: ThermostatCapability = {
    kind: 'thermostat',
    id: 'thermostat',
    name,
    currentTemperature,
    targetTemperature: shown.target ?? before?.targetTemperature ?? 19,
    mode,
    active: mode === 'off' ? 'off' : 'heat',
    minTarget: 5,
    maxTarget: 30,
    // The partner API takes whole degrees: a half-degree target would be shown and never applied.
    step: 1,
    // The partner API cannot change the mode: Home offers only the one the heater is in.
    modes: [mode],
    // A heater never read shows a fault, not 0 °C.
    fault: shown.fault || (d.online && currentTemperature === undefined),
  };
  return {
    id,
    name,
    manufacturer: MANUFACTURER,
    model: CATEGORY_MODEL[d.category] ?? previous?.model ?? d.category,
    serial: d.header,
    firmware: d.softwareVersion === undefined ? undefined : String(d.softwareVersion),
    available: d.online,
    capabilities: [thermostat],
  };
}

function knownCategory(d: HslDevice): boolean {
  return (THERMOSTAT_CATEGORIES as readonly string[]).includes(d.category);
}

/** The account-wide "Boost all" / "Eco all" switches. */
export function demandResponseDevice(label: string, state: { boost: boolean; eco: boolean }, fault = false): Device {
  const sw = (id: 'boost' | 'eco', name: string): SwitchCapability => ({ kind: 'switch', id, name, on: state[id], fault });
  return {
    id: DEMAND_RESPONSE_ID,
    name: `${label} demand response`,
    manufacturer: MANUFACTURER,
    model: 'Demand response',
    serial: `${label}-demand-response`,
    available: true,
    capabilities: [sw('boost', 'Boost all'), sw('eco', 'Eco all')],
  };
}
