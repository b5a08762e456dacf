import type { Device, SensorCapability } from '../../core/model';
import type { AccessPointInfo } from './parse';

export const MANUFACTURER = 'ABIOVA Festime';
export const ANYONE_ID = 'presence:all';
export const SYNC_ID = 'sync';
export const accessPointId = (name: string) => `presence:ap:${name}`;
export const personId = (uid: string) => `person:${uid}`;

function occupancy(id: string, name: string, serial: string, occupied: boolean, fault: boolean, model: string): Device {
  const sensor: SensorCapability = { kind: 'sensor', id: 'occupancy', name, sensor: 'occupancy', value: occupied, fault };
  return { id, name, manufacturer: MANUFACTURER, model, serial, available: true, capabilities: [sensor] };
}

export interface PresenceView {
  label: string;
  /** uid -> present (listed people only) */
  people: Array<{ uid: string; name: string; present: boolean }>;
  /** access point -> anyone present there */
  accessPoints: Map<string, boolean>;
  anyone: boolean;
  /** Terminal problems by access point (see terminalProblem). */
  problems: Map<string, string>;
}

/**
 * Why a terminal is not healthy, or undefined when it is (or was not read yet): Festime does not say ONLINE, its last
 * connection scan is older than the limit, or it holds no user (nobody could badge on it).
 */
export function terminalProblem(info: AccessPointInfo | undefined, now: number, scanLimitMs: number): string | undefined {
  if (!info) return undefined;
  if (info.status !== undefined && info.status !== 'ONLINE') return `is ${info.status}`;
  if (info.lastScanAt !== undefined && now - info.lastScanAt > scanLimitMs)
    return `has not connected since ${info.lastScan ?? 'long ago'} (more than ${Math.round(scanLimitMs / 60_000)} min)`;
  if (info.users === 0) return 'holds no user: nobody can badge on it (use "Sync badges to terminals")';
  return undefined;
}

/** The account's accessories: "Anyone present", one per access point when there are several, listed people, the sync switch. */
export function festimeDevices(view: PresenceView): Device[] {
  const anyDown = view.problems.size > 0;
  const devices: Device[] = [occupancy(ANYONE_ID, 'Anyone present', `${view.label}-anyone`, view.anyone, anyDown, 'Presence')];
  if (view.accessPoints.size > 1) {
    for (const [ap, occupied] of [...view.accessPoints].sort(([a], [b]) => a.localeCompare(b))) {
      devices.push(
        occupancy(accessPointId(ap), `Present at ${ap}`, `${view.label}-${ap}`, occupied, view.problems.has(ap), 'Access point presence'),
      );
    }
  }
  for (const p of view.people)
    devices.push(occupancy(personId(p.uid), p.name, `${view.label}-${p.uid}`, p.present, anyDown, 'Person presence'));
  devices.push({
    id: SYNC_ID,
    name: 'Sync badges to terminals',
    manufacturer: MANUFACTURER,
    model: 'Badge sync',
    serial: `${view.label}-sync`,
    available: true,
    capabilities: [{ kind: 'switch', id: 'sync', name: 'Sync badges to terminals', on: false, momentary: true }],
  });
  return devices;
}
