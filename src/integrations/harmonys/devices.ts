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

/** A kind of alert the user names (intrusion, confinement, evacuation) and the buttons that raise it. */
export interface AlertKind {
  name: string;
  buttonUuids: string[];
}

export const DISTRICT_ID = 'district';
export const SERVER_ID = 'server';

const contact = (id: string, name: string, open: boolean, fault?: boolean): SensorCapability => ({
  kind: 'sensor',
  id,
  name,
  sensor: 'contact',
  value: open,
  ...(fault === undefined ? {} : { fault }),
});

/** A stable capability id for a kind: its name, not its place in the list (reordering keeps the sensors). */
export const kindId = (kind: AlertKind) => `kind:${kind.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/**
 * Per site: an "in alert" contact sensor (open while in alert, faulted while disconnected), a "disconnected" one
 * (HomeKit cannot notify on a fault, it can on a contact), and one per configured alert kind, open while the
 * site's alert comes from one of that kind's buttons, so automations can tell confinement from evacuation.
 */
export function siteDevice(site: Site, alert: SiteAlert | undefined, link: SiteLink | undefined, kinds: AlertKind[] = []): Device {
  const name = siteName(site, site.uuid);
  const byKind = kinds.map((k) =>
    contact(kindId(k), `${name} ${k.name}`, alert?.buttonUuid !== undefined && k.buttonUuids.includes(alert.buttonUuid)),
  );
  return {
    id: siteDeviceId(site.uuid),
    name,
    manufacturer: MANUFACTURER,
    model: 'Multisite site',
    serial: site.uuid,
    available: true,
    capabilities: [
      contact('alert', `${name} alert`, alert !== undefined, link !== undefined),
      contact('disconnected', `${name} disconnected`, link !== undefined),
      ...byKind,
    ],
  };
}

/** District-wide: open while any site is in alert, and per kind while any site runs an alert of that kind. */
export function districtDevice(label: string, alerts: Map<string, SiteAlert>, kinds: AlertKind[] = []): Device {
  const any = (kind?: AlertKind) =>
    [...alerts.values()].some((a) => !kind || (a.buttonUuid !== undefined && kind.buttonUuids.includes(a.buttonUuid)));
  return {
    id: DISTRICT_ID,
    name: `${label} any site`,
    manufacturer: MANUFACTURER,
    model: 'Multisite district',
    serial: `${label}-district`,
    available: true,
    capabilities: [contact('alert', 'Any site in alert', any()), ...kinds.map((k) => contact(kindId(k), `Any site: ${k.name}`, any(k)))],
  };
}

/** The server's operating licence and HTTPS certificate: open once expired, a fault from 30 days before. */
export function serverDevice(label: string, expiry: { expired: boolean; expiring: boolean } | undefined): Device {
  return {
    id: SERVER_ID,
    name: `${label} server`,
    manufacturer: MANUFACTURER,
    model: 'Multisite server',
    serial: `${label}-server`,
    available: true,
    capabilities: [contact('licence', 'Licence and certificate expired', expiry?.expired ?? false, expiry?.expiring ?? false)],
  };
}

/** A listed button: a momentary switch, always off at rest. `fault` = the last press was not acknowledged by every site. */
/** `isPPMS` as the server sends it: true or "true" (the doc's /buttons/all sample has none; /sites/inAlert has it). */
export function isPpms(button: Button | undefined): boolean {
  const flag = (button as { isPPMS?: unknown } | undefined)?.isPPMS;
  return flag === true || flag === 'true';
}

export function buttonDevice(config: ButtonConfig, button: Button | undefined, fault: boolean, ppms = isPpms(button)): Device {
  const name = config.name?.trim() || button?.name?.trim() || `Alert button ${config.buttonUuid.slice(0, 8)}`;
  const sw: SwitchCapability = { kind: 'switch', id: 'press', name, on: false, momentary: true, fault };
  return {
    id: buttonDeviceId(config.buttonUuid),
    name,
    manufacturer: MANUFACTURER,
    model: ppms ? 'PPMS alert button' : 'Action button',
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
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(year, month - 1, day, 23, 59, 59);
  // "00/00/0000" or "31/02/2027" is no date (Date.UTC would roll it over to another day): unknown, not 1899
  const d = new Date(t);
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day && year >= 1970 ? t : undefined;
}

/** Whether a licence or certificate has expired, or expires within 30 days. */
export function expiryOf(info: Expiring, now: number): { expired: boolean; expiring: boolean } {
  const end = parseFrenchDate(info.expirationDate);
  const expired = Boolean(info.expired) || (end !== undefined && end < now);
  return { expired, expiring: expired || (end !== undefined && end - now <= 30 * DAY_MS) };
}

export function expiryWarning(what: string, info: Expiring, now: number): string | undefined {
  const end = parseFrenchDate(info.expirationDate);
  const { expired, expiring } = expiryOf(info, now);
  if (expired) return `the ${what} has expired${info.expirationDate ? ` (${info.expirationDate})` : ''}; renew it`;
  if (expiring && end !== undefined)
    return `the ${what} expires on ${info.expirationDate} (in ${Math.max(0, Math.ceil((end - now) / DAY_MS))} days); renew it`;
  return undefined;
}
