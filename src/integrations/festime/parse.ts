import { ProtocolError } from '../../core/errors';
import { zonedTimeToEpoch } from '../../core/time';

/**
 * Festime answers text. Its charset is not documented: the body is decoded by the charset the server names,
 * and otherwise as UTF-8 when it is valid UTF-8, else as Windows-1252 (French names with accents).
 */
export function decodeBody(raw: Buffer, contentType?: string): string {
  const named = contentType?.match(/charset=([^;\s]+)/i)?.[1]?.toLowerCase();
  if (named && named !== 'utf-8' && named !== 'utf8') {
    try {
      return new TextDecoder(named).decode(raw);
    } catch {
      // unknown label: fall through to detection
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return new TextDecoder('windows-1252').decode(raw);
  }
}

export type Movement = 'A' | 'D' | 'P';

export interface BadgeEvent {
  id: string;
  uid: string;
  name: string;
  movement: Movement | string;
  reason: string;
  /** Epoch ms (the terminal's local time read in the account's time zone). */
  at: number;
  accessPoint: string;
  terminal: string;
}

const REQUIRED = ['id_pointage', 'uid_utilisateur', 'code_mvt'];

/** True when the text starts with the pointage legend (what a successful call returns, even with no event). */
export function isPointageReply(text: string): boolean {
  const legend = text.replace(/[\r\n]/g, '').split('~')[0];
  return legend.split(';').some((f) => f.trim().toLowerCase() === 'id_pointage');
}

/**
 * Rows split on "~", fields on ";"; the first row is the legend and columns are found by name. CR/LF anywhere are
 * dropped (the service wraps long lines), blank rows and trailing fields are ignored.
 */
export function parsePointages(text: string, timeZone?: string): BadgeEvent[] {
  const flat = text.replace(/[\r\n]/g, '');
  const rows = flat.split('~').filter((r) => r.replace(/;/g, '').trim() !== '');
  if (rows.length === 0 || !isPointageReply(rows[0])) throw new ProtocolError('the pointage reply has no legend row');
  const legend = rows[0].split(';').map((h) => h.trim().toLowerCase());
  const col = (name: string) => legend.indexOf(name);
  for (const name of REQUIRED) if (col(name) < 0) throw new ProtocolError(`the pointage legend has no "${name}" column`);
  const events: BadgeEvent[] = [];
  for (const row of rows.slice(1)) {
    const f = row.split(';');
    const get = (name: string) => (col(name) >= 0 ? (f[col(name)] ?? '').trim() : '');
    const id = get('id_pointage');
    const at = timestampOf(get, timeZone);
    if (!id || at === undefined) continue;
    events.push({
      id,
      uid: get('uid_utilisateur'),
      name: get('nompren_utilisateur'),
      movement: get('code_mvt').toUpperCase(),
      reason: get('motif_pause'),
      at,
      accessPoint: get('point_acces'),
      terminal: get('noserie_terminal'),
    });
  }
  return events;
}

/** "DD/MM/YYYY HH:MM:SS" (the space may have been lost to a line wrap) -> its instant in the zone. */
export function frenchDateTimeToEpoch(text: string, timeZone?: string): number | undefined {
  const m = text.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})\s*(\d{1,2}):(\d{2}):(\d{2})$/);
  if (!m) return undefined;
  const parts = { day: +m[1], month: +m[2], year: +m[3], hour: +m[4], minute: +m[5], second: +m[6] };
  return isWallClock(parts) ? zonedTimeToEpoch(parts, timeZone) : undefined;
}

function timestampOf(get: (name: string) => string, timeZone?: string): number | undefined {
  // horodatage "DD/MM/YYYY HH:MM:SS"; the space may have been lost to a line wrap.
  const m = get('horodatage').match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})\s*(\d{1,2}):(\d{2}):(\d{2})$/);
  const parts = m
    ? { day: +m[1], month: +m[2], year: +m[3], hour: +m[4], minute: +m[5], second: +m[6] }
    : { day: +get('jour'), month: +get('mois'), year: +get('annee'), hour: +get('heure'), minute: +get('minute'), second: +get('seconde') };
  return isWallClock(parts) ? zonedTimeToEpoch(parts, timeZone) : undefined;
}

/** A date and time a clock can show (a row with year 1e308 or month 13 is no badge event). */
function isWallClock(p: { day: number; month: number; year: number; hour: number; minute: number; second: number }): boolean {
  const within = (v: number, lo: number, hi: number) => Number.isInteger(v) && v >= lo && v <= hi;
  return (
    within(p.year, 1970, 9999) &&
    within(p.month, 1, 12) &&
    within(p.day, 1, 31) &&
    within(p.hour, 0, 23) &&
    within(p.minute, 0, 59) &&
    within(p.second, 0, 59)
  );
}

export interface AccessPointInfo {
  accessPoint: string;
  serial?: string;
  timezone?: string;
  status?: string;
  lastScan?: string;
  /** `lastScan` as an instant (the terminals' zone). */
  lastScanAt?: number;
  users?: number;
  reasons?: number;
}

/**
 * Splits a global_* reply into one chunk per access point: "1/2) *** POINT D'ACCES -> Name : rest".
 * CR/LF are dropped first: the service wraps long lines anywhere, even inside words.
 */
function accessPointChunks(text: string): Array<{ accessPoint: string; body: string }> {
  const flat = text.replace(/[\r\n]/g, '');
  const re = /\d+\/\d+\)\s*\*+\s*POINT D'ACC[EÈ]S\s*->\s*/gi;
  const starts = [...flat.matchAll(re)];
  return starts.map((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const to = i + 1 < starts.length ? starts[i + 1].index : flat.length;
    const chunk = flat.slice(from, to);
    const sep = chunk.search(/\s:\s/);
    return { accessPoint: (sep >= 0 ? chunk.slice(0, sep) : chunk).trim(), body: sep >= 0 ? chunk.slice(sep + 3) : '' };
  });
}

/** The value after "label :", up to the next "- Label :" item or the end. */
function item(body: string, label: string): string | undefined {
  const m = body.match(new RegExp(`${label}\\s*:\\s*(.*?)(?=\\s*-\\s*[A-Z][^:]{2,60}:|$)`, 'i'));
  return m?.[1]?.trim() || undefined;
}

/** global_get_infos_iot: the facts per access point; unknown items are ignored. */
export function parseInfos(text: string, timeZone?: string): AccessPointInfo[] {
  return accessPointChunks(text).map(({ accessPoint, body }) => {
    const info: AccessPointInfo = { accessPoint };
    const count = (label: string) => {
      const n = item(body, label)?.match(/^\d+/)?.[0];
      return n === undefined ? undefined : Number(n);
    };
    info.serial = item(body, 'No de s[ée]rie du terminal');
    info.timezone = item(body, 'Fuseau horaire param[ée]tr[ée]');
    info.status = item(body, 'Statut de connexion du terminal')
      ?.match(/^[A-Za-z_]+/)?.[0]
      .toUpperCase();
    info.lastScan = item(body, 'Dernier Scan connexion du terminal')?.match(/^\d{1,2}\/\d{1,2}\/\d{4}\s*\d{1,2}:\d{2}:\d{2}/)?.[0];
    info.lastScanAt = info.lastScan === undefined ? undefined : frenchDateTimeToEpoch(info.lastScan, timeZone);
    info.users = count("Nombre d'utilisateur\\(s\\) charg[ée] sur le terminal");
    info.reasons = count('Nombre de motif\\(s\\) de pause charg[ée] sur le terminal');
    for (const k of Object.keys(info) as Array<keyof AccessPointInfo>) if (info[k] === undefined) delete info[k];
    return info;
  });
}

export interface TransferResult {
  accessPoint: string;
  ok: boolean;
  message: string;
}

/** global_transfert_to_iot_*: "OK;..." or "KO;..." per access point. */
export function parseTransfer(text: string): TransferResult[] {
  return accessPointChunks(text).map(({ accessPoint, body }) => {
    const m = body.trim().match(/^(OK|KO)\s*;\s*(.*)$/is);
    return { accessPoint, ok: m?.[1]?.toUpperCase() === 'OK', message: (m?.[2] ?? body).replace(/\s+/g, ' ').trim() };
  });
}
