import type { Capability, Device } from '../../core/model';
import { kindOf } from './families';
import type { OverkizDevice } from './schemas';

/** Kinds that are appliances: their sensor sub-devices are parts of them. */
const APPLIANCES = new Set(['HeatingSystem', 'WaterHeatingSystem', 'HitachiHeatingSystem', 'VentilationSystem']);
/** Read-only kinds that can be parts of an appliance (they take no command, so nothing needs routing back). */
const PARTS = new Set([
  'TemperatureSensor',
  'HumiditySensor',
  'ContactSensor',
  'OccupancySensor',
  'AirSensor',
  'CarbonDioxideSensor',
  'LightSensor',
  'ElectricitySensor',
]);

export const baseOf = (deviceURL: string) => deviceURL.replace(/#\d+$/, '');
export const subIndex = (deviceURL: string) => Number(deviceURL.match(/#(\d+)$/)?.[1] ?? 0);

/**
 * Sub-devices "#n" of one base URL that are parts of one appliance: each sensor sub-device belongs to the nearest
 * appliance before it (a heater #1 owns its sensors #2..#5; PassAPC zone #2 owns #3, zone #4 owns #5). Members of
 * several base URLs are grouped per base. Returns part URL -> owner URL; a sensor with no appliance before it stays
 * on its own.
 */
export function partsOf(members: readonly OverkizDevice[]): Map<string, string> {
  const owner = new Map<string, string>();
  const byBase = new Map<string, OverkizDevice[]>();
  for (const m of members) byBase.set(baseOf(m.deviceURL), [...(byBase.get(baseOf(m.deviceURL)) ?? []), m]);
  for (const family of byBase.values()) {
    let current: string | undefined;
    for (const m of family.sort((a, b) => subIndex(a.deviceURL) - subIndex(b.deviceURL))) {
      const { uiClass } = kindOf(m);
      if (APPLIANCES.has(uiClass)) current = m.deviceURL;
      else if (PARTS.has(uiClass) && current) owner.set(m.deviceURL, current);
      else current = undefined;
    }
  }
  return owner;
}

/**
 * The temperature sensor that belongs to a heater: the first TemperatureSensor among its parts (a PassAPC zone #2
 * reads #3, zone #4 reads #5). A heater without one has none: a sibling's room temperature is never borrowed.
 */
export function pairedSensor(heater: OverkizDevice, members: readonly OverkizDevice[]): OverkizDevice | undefined {
  const owners = partsOf(members);
  return members
    .filter((m) => owners.get(m.deviceURL) === heater.deviceURL && kindOf(m).uiClass === 'TemperatureSensor')
    .sort((a, b) => subIndex(a.deviceURL) - subIndex(b.deviceURL))[0];
}

export const PART_SEPARATOR = '/';

/**
 * The appliance with its parts' services: each part capability keeps its own name and gets the id "#n/<id>".
 * A part that is already shown on the appliance (the temperature a thermostat reads) is not repeated.
 */
export function withParts(owner: Device, parts: Array<{ url: string; device: Device }>, shownUrl?: string): Device {
  const extra: Capability[] = parts
    .filter((p) => p.url !== shownUrl)
    .flatMap((p) => p.device.capabilities.map((c) => ({ ...c, id: `#${subIndex(p.url)}${PART_SEPARATOR}${c.id}` })));
  return { ...owner, capabilities: [...owner.capabilities, ...extra] };
}
