import type { Device, SensorCapability, SwitchCapability } from '../../core/model';
import type { Button, Disconnected, Expiring, InAlert, PressReply, Site } from './schemas';

export const MANUFACTURER = 'Bodet Harmonys';
const DAY_MS = 86_400_000;

export interface ButtonConfig {
  buttonUuid: string;
  siteUuids?: string[];
  name?: string;
}

export const buttonDeviceId = (uuid: string) => `button:${uuid}`;
export const siteDeviceId = (uuid: string) => `site:${uuid}`;

export interface SiteAlert {
  /** Name of the button that raised it ("UNKNOWN MELODY" when the server does not know its configuration). */
  button: string;
  /** Uuid of that button, when the server knows it. */
  buttonUuid?: string;
}

/** /sites/inAlert -> alert per site uuid. Every entry counts, including unknown melodies. */
export function alertsBySite(inAlert: InAlert): Map<string, SiteAlert> {
  const out = new Map<string, SiteAlert>();
  for (const entry of inAlert) {
    const button = entry.button?.name ?? entry.name ?? 'UNKNOWN MELODY';
    const buttonUuid = entry.button?.uuid;
    for (const site of entry.sites) out.set(site.uuid, { button, buttonUuid });
  }
  return out;
}

export interface SiteLink {
  repeater: boolean;
  sigma: boolean;
}

export function disconnectedBySite(list: Disconnected): Map<string, SiteLink> {
  return new Map(
    list.map((s) => [s.uuid, { repeater: Boolean(s.disconnectedProducts?.repeater), sigma: Boolean(s.disconnectedProducts?.sigma) }]),
  );
}

export function siteName(site: Site | undefined, uuid: string): string {
  return site?.name?.trim() || `Site ${uuid.slice(0, 8)}`;
}

/** One "in alert" contact sensor per site: open while the site is in alert, faulted while it is disconnected. */
export function siteDevice(site: Site, alert: SiteAlert | undefined, link: SiteLink | undefined): Device {
  const name = siteName(site, site.uuid);
  const sensor: SensorCapability = {
    kind: 'sensor',
    id: 'alert',
    name: `${name} alert`,
    sensor: 'contact',
    value: alert !== undefined,
    fault: link !== undefined,
  };
  return {
    id: siteDeviceId(site.uuid),
    name,
    manufacturer: MANUFACTURER,
    model: 'Multisite site',
    serial: site.uuid,
    available: true,
    capabilities: [sensor],
  };
}

/** A listed button: a momentary switch, always off at rest. `fault` = the last press was not acknowledged by every site. */
export function buttonDevice(config: ButtonConfig, button: Button | undefined, fault: boolean): Device {
  const name = config.name?.trim() || button?.name?.trim() || `Alert button ${config.buttonUuid.slice(0, 8)}`;
  const sw: SwitchCapability = { kind: 'switch', id: 'press', name, on: false, momentary: true, fault };
  return {
    id: buttonDeviceId(config.buttonUuid),
    name,
    manufacturer: MANUFACTURER,
    model: button?.isPPMS ? 'PPMS alert button' : 'Action button',
    serial: config.buttonUuid,
    available: true,
    capabilities: [sw],
  };
}

export type PressOutcome = 'acknowledged' | 'partial' | 'none';

export interface PressSummary {
  outcome: PressOutcome;
  acknowledged: string[];
  notAcknowledged: string[];
  notFound: string[];
}

export function summarisePress(reply: PressReply): PressSummary {
  const acknowledged = reply.sitesAcknowledgement.successAck ?? [];
  const notAcknowledged = reply.sitesAcknowledgement.notAck ?? [];
  const notFound = reply.sitesNotFound;
  const outcome: PressOutcome =
    acknowledged.length === 0 ? 'none' : notAcknowledged.length + notFound.length > 0 ? 'partial' : 'acknowledged';
  return { outcome, acknowledged, notAcknowledged, notFound };
}

/** "31/12/2027" -> the end of that day (UTC), or undefined. */
export function parseFrenchDate(value: string | null | undefined): number | undefined {
  const m = value?.trim().match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
  if (!m) return undefined;
  const t = Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), 23, 59, 59);
  return Number.isNaN(t) ? undefined : t;
}

/** A warning for a licence or certificate that expired or expires within 30 days; undefined when all is well. */
export function expiryWarning(what: string, info: Expiring, now: number): string | undefined {
  const end = parseFrenchDate(info.expirationDate);
  if (info.expired || (end !== undefined && end < now))
    return `the ${what} has expired${info.expirationDate ? ` (${info.expirationDate})` : ''}; renew it`;
  if (end !== undefined && end - now <= 30 * DAY_MS)
    return `the ${what} expires on ${info.expirationDate} (in ${Math.max(0, Math.ceil((end - now) / DAY_MS))} days); renew it`;
  return undefined;
}
