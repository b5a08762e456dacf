import { isAbort } from '../../core/errors';
import type { Discovery, Found } from '../discovery';
import type { BaxoAccount } from './account';
import type { BaxoClient } from './client';
import type { TagKind } from './devices';

/**
 * The `as` a tag most likely is. BAXO gives no unit (the API has none), so this reads the tag's reference and value:
 * a suggestion the user checks in the dropdown, never applied without them.
 */
export function suggestKind(reference: string, value: unknown): TagKind {
  const ref = reference.toLowerCase();
  const rules: Array<[RegExp, TagKind]> = [
    [/co2/, 'co2'],
    [/temp|°c|degc/, 'temperature'],
    [/hum|hygro|\brh\b/, 'humidity'],
    [/lux|lum|light/, 'light'],
    [/batt/, 'battery'],
    [/leak|fuite|water|eau/, 'leak'],
    [/smoke|fum|incend|fire/, 'smoke'],
    [/motion|mouv|pir/, 'motion'],
    [/occup|presen/, 'occupancy'],
    [/door|porte|window|fenetre|contact|ouvert/, 'contact'],
    [/cov|iaq|air|qai/, 'airQuality'],
    [/relay|relais|cmd|command|enable|pump|pompe|output|sortie/, 'switch'],
  ];
  for (const [re, kind] of rules) if (re.test(ref)) return kind;
  const text = String(value).trim().toLowerCase();
  if (['0', '1', 'true', 'false', 'on', 'off'].includes(text)) return 'contact';
  return 'temperature';
}

const valueText = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))).slice(0, 40);

/** Contracts -> devices -> their tags with current values; a contract that cannot be read is said, not fatal. */
export async function discoverTags(client: BaxoClient, account: BaxoAccount, signal: AbortSignal): Promise<Discovery> {
  const chosen = new Set(account.tags.map((t) => `${t.deviceId}/${t.tagReference}`));
  const items: Found[] = [];
  const unread: string[] = [];
  for (const contract of await client.contracts(signal)) {
    const devices = await client.devices(contract.id, signal);
    if (devices.length === 0) continue;
    let logs: Awaited<ReturnType<BaxoClient['realtimes']>> = [];
    try {
      logs = await client.realtimes(
        contract.id,
        devices.map((d) => d.id),
        [],
        signal,
      );
    } catch (err) {
      if (isAbort(err)) throw err;
      unread.push(contract.reference ?? contract.id);
    }
    const contractName = contract.reference ?? contract.company ?? contract.id;
    for (const device of devices) {
      const mine = logs.filter((l) => (l.device ?? (devices.length === 1 ? device.id : undefined)) === device.id);
      for (const log of mine) {
        const as = suggestKind(log.tagReference, log.value);
        items.push({
          id: `${contract.id}/${device.id}/${log.tagReference}`,
          name: log.tagReference,
          kind: as,
          detail: `now ${valueText(log.value)}${log.isEvent ? ' (event)' : ''}`,
          group: `${contractName} / ${device.name ?? device.id}`,
          selected: chosen.has(`${device.id}/${log.tagReference}`),
          fields: { contractId: contract.id, deviceId: device.id, tagReference: log.tagReference, as },
        });
      }
    }
  }
  const note = unread.length ? `The tags of contract ${unread.join(', ')} could not be read.` : undefined;
  return { items, note };
}
