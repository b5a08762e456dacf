import type { Device } from '../../core/model';
import { mapOverkizDevice } from './devices';
import { familyFor, kindOf, type MapOptions } from './families';
import { baseOf, pairedSensor, partsOf, withParts } from './grouping';
import { HIDDEN_UI_CLASSES, NOT_YET_MAPPED } from './hidden';
import type { OverkizDevice, OverkizSetup } from './schemas';
import { StateReader } from './states';

export const SCENARIO_PREFIX = 'scenario:';

/**
 * The devices of one Overkiz setup as the server last described them, grouped by base URL (the sub-devices of one
 * appliance), and their mapping to accessories: each appliance with its parts, the other devices alone, the
 * scenarios as momentary switches.
 */
export class OverkizInventory {
  private raw = new Map<string, OverkizDevice>();
  /** Device URLs by base URL (the part before "#"). */
  private families = new Map<string, string[]>();
  scenarios: Array<{ oid: string; label: string }> = [];

  constructor(private readonly notExposed: (d: OverkizDevice, why: string) => void) {}

  get size(): number {
    return this.raw.size;
  }

  get(url: string): OverkizDevice | undefined {
    return this.raw.get(url);
  }

  set(url: string, device: OverkizDevice): void {
    if (this.raw.has(url)) this.raw.set(url, device);
  }

  entries(): IterableIterator<[string, OverkizDevice]> {
    return this.raw.entries();
  }

  /** Replaces the devices with the setup's, less the excluded ones; those on a dead gateway do not answer. */
  apply(setup: OverkizSetup, excluded: ReadonlySet<string>, deadGateways: readonly string[]): void {
    const onDeadGateway = (url: string) => deadGateways.some((g) => url.includes(`://${g}/`));
    this.raw = new Map(
      setup.devices
        .filter((d) => !excluded.has(d.deviceURL) && !excluded.has(d.label))
        .map((d) => [d.deviceURL, onDeadGateway(d.deviceURL) ? { ...d, available: false } : d]),
    );
    this.families = new Map();
    for (const url of this.raw.keys()) this.families.set(baseOf(url), [...(this.families.get(baseOf(url)) ?? []), url]);
    for (const d of this.raw.values()) {
      if (familyFor(d)) continue;
      const { uiClass } = kindOf(d);
      this.notExposed(
        d,
        HIDDEN_UI_CLASSES[uiClass] ?? (NOT_YET_MAPPED[uiClass] ? `not supported yet: ${NOT_YET_MAPPED[uiClass]}` : 'unknown kind'),
      );
    }
  }

  /** The sub-devices of the same base URL as `url` (itself included). */
  members(url: string): OverkizDevice[] {
    return (this.families.get(baseOf(url)) ?? []).flatMap((u) => this.raw.get(u) ?? []);
  }

  /** A sub-device shown on a published appliance's accessory. */
  partOfPublished(url: string, published: ReadonlySet<string>): boolean {
    const owner = partsOf(this.members(url)).get(url);
    return owner !== undefined && published.has(owner);
  }

  /** Every accessory. */
  mapAll(opts: MapOptions): Device[] {
    const out: Device[] = [];
    for (const urls of this.families.values()) out.push(...this.mapFamily(urls, opts));
    for (const s of this.scenarios) {
      out.push({
        id: `${SCENARIO_PREFIX}${s.oid}`,
        name: s.label,
        manufacturer: 'Overkiz',
        model: 'Scenario',
        serial: s.oid,
        available: true,
        capabilities: [{ kind: 'switch', id: 'run', name: s.label, on: false, momentary: true }],
      });
    }
    return out;
  }

  /** The accessories of the base URL of `url` (an event re-maps a heater with its parts and its sensor's reading). */
  mapFamilyOf(url: string, opts: MapOptions): Device[] {
    return this.raw.has(url) ? this.mapFamily(this.families.get(baseOf(url)) ?? [url], opts) : [];
  }

  private mapFamily(urls: readonly string[], opts: MapOptions): Device[] {
    const members = urls.flatMap((url) => this.raw.get(url) ?? []);
    const mapped = new Map(
      members.flatMap((m) => {
        const d = this.mapOne(m, opts);
        return d ? [[m.deviceURL, d] as const] : [];
      }),
    );
    const owners = new Map([...partsOf(members)].filter(([, owner]) => mapped.has(owner)));
    const out: Device[] = [];
    for (const [url, device] of mapped) {
      if (owners.has(url)) continue;
      const parts = [...owners]
        .filter(([, owner]) => owner === url)
        .flatMap(([part]) => {
          const d = mapped.get(part);
          return d ? [{ url: part, device: d }] : [];
        });
      const raw = this.raw.get(url);
      const climate = device.capabilities.some((c) => c.kind === 'thermostat' || c.kind === 'heaterCooler');
      const reads = raw && climate ? pairedSensor(raw, members)?.deviceURL : undefined;
      out.push(parts.length > 0 ? withParts(device, parts, reads) : device);
    }
    return out;
  }

  private mapOne(d: OverkizDevice, opts: MapOptions): Device | undefined {
    const paired = kindOf(d).uiClass === 'HeatingSystem' ? this.pairedTemperature(d) : undefined;
    return mapOverkizDevice(d, { ...opts, pairedTemperature: paired, zoneControllerMode: this.zoneControllerMode(d) });
  }

  /** A heater's room temperature lives on a sub-device of the same base URL (see pairedSensor). */
  private pairedTemperature(heater: OverkizDevice): number | undefined {
    const sensor = pairedSensor(heater, this.members(heater.deviceURL));
    return sensor && new StateReader(sensor).number('core:TemperatureState');
  }

  /** A PassAPC zone's season is its zone controller's, a sub-device of the same base URL. */
  private zoneControllerMode(zone: OverkizDevice): string | undefined {
    if (!kindOf(zone).widget.startsWith('AtlanticPassAPC')) return undefined;
    const controller = this.members(zone.deviceURL).find((m) => kindOf(m).widget === 'AtlanticPassAPCZoneControl');
    return controller && new StateReader(controller).string('io:PassAPCOperatingModeState');
  }
}
