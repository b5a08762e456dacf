import type { Device, HeatingMode, SwitchCapability, ThermostatCapability } from '../../core/model';
import type { ConfigReply, HslDevice, HslGateway } from './schemas';

export const MANUFACTURER = 'HomeSmartlink';
export const THERMOSTAT_CATEGORIES = ['Heater', 'TowelDryier', 'Fireplace', 'Furnace'] as const;
export const DEMAND_RESPONSE_ID = 'demand-response';
/** A gateway that has not pinged for this long is treated as down (the doc gives no figure; its MQTT pings are frequent). */
export const GATEWAY_STALE_MS = 60 * 60_000;

const CATEGORY_MODEL: Record<string, string> = { Heater: 'Heater', TowelDryier: 'Towel dryer', Fireplace: 'Fireplace', Furnace: 'Furnace' };

export function deviceIdOf(homeId: string, header: string): string {
  return `${homeId}:${header}`;
}

/** Stop = off; Antifreeze, Manual and Prog all heat (to their own setpoint). */
export function modeOf(mode: string | null | undefined): HeatingMode | undefined {
  if (!mode) return undefined;
  return mode.toLowerCase() === 'stop' ? 'off' : 'heat';
}

export function gatewayDown(gateway: HslGateway, now: number): boolean {
  const ping = gateway?.lastPing ? Date.parse(gateway.lastPing) : NaN;
  return !Number.isNaN(ping) && now - ping > GATEWAY_STALE_MS;
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
}

/** /config reply -> one thermostat Device per heater-like device, named after its room (numbered when a room has several). */
export function mapHome(input: MapHomeInput): Array<{ device: Device; room: RoomRef }> {
  const { homeId, reply, now } = input;
  const heaters = reply.reply
    .filter((d) => (THERMOSTAT_CATEGORIES as readonly string[]).includes(d.category))
    .sort((a, b) => a.roomId - b.roomId || a.header.localeCompare(b.header));
  const perRoom = new Map<number, number>();
  for (const d of heaters) perRoom.set(d.roomId, (perRoom.get(d.roomId) ?? 0) + 1);
  const seen = new Map<number, number>();
  const faultyGateway = gatewayDown(reply.gateway, now);
  return heaters.map((d) => {
    const n = (seen.get(d.roomId) ?? 0) + 1;
    seen.set(d.roomId, n);
    const roomName = d.roomName.trim() || `Room ${d.roomId}`;
    const name = (perRoom.get(d.roomId) ?? 1) > 1 ? `${roomName} ${n}` : roomName;
    const id = deviceIdOf(homeId, d.header);
    const fault = faultyGateway || Boolean(input.undelivered?.has(id));
    return { device: thermostatDevice(id, name, d, fault, input.previous?.(id)), room: { homeId, roomId: d.roomId, header: d.header } };
  });
}

function thermostatDevice(id: string, name: string, d: HslDevice, fault: boolean, previous: Device | undefined): Device {
  const before = previous?.capabilities.find((c): c is ThermostatCapability => c.kind === 'thermostat');
  const mode = modeOf(d.mode) ?? before?.mode ?? 'heat';
  const thermostat: ThermostatCapability = {
    kind: 'thermostat',
    id: 'thermostat',
    name,
    currentTemperature: d.pv ?? before?.currentTemperature,
    targetTemperature: d.sp ?? before?.targetTemperature ?? 19,
    mode,
    active: mode === 'off' ? 'off' : 'heat',
    minTarget: 5,
    maxTarget: 30,
    // The partner API takes whole degrees: a half-degree target would be shown and never applied.
    step: 1,
    // The partner API cannot change the mode: Home offers only the one the heater is in.
    modes: [mode],
    fault,
  };
  return {
    id,
    name,
    manufacturer: MANUFACTURER,
    model: CATEGORY_MODEL[d.category] ?? d.category,
    serial: d.header,
    firmware: d.softwareVersion === undefined ? undefined : String(d.softwareVersion),
    available: d.online,
    capabilities: [thermostat],
  };
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
