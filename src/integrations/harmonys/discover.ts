import type { Discovery, Found } from '../discovery';
import type { HarmonysAccount } from './account';
import type { HarmonysClient } from './client';

export const BUTTON_WARNING = 'Switching it on in Home raises a real alert on the sites it covers.';

/** The alert buttons (each one opt-in) and the sites a button may alert (all of them unless the user narrows it). */
export async function discoverButtons(client: HarmonysClient, account: HarmonysAccount, signal: AbortSignal): Promise<Discovery> {
  const sites = await client.sites(signal);
  const buttons = await client.buttons(signal);
  const configured = new Set(account.buttons.map((b) => b.buttonUuid));
  const siteItems: Found[] = sites.map((s) => ({ id: s.uuid, name: s.name || s.uuid, kind: 'site' }));
  const everySite = siteItems.map((s) => s.name).join(', ');
  const items: Found[] = buttons
    .flatMap((b) => (b.uuid ? [{ ...b, uuid: b.uuid }] : []))
    .map((b) => ({
      id: b.uuid,
      name: b.name || b.uuid,
      kind: 'alert button',
      detail: everySite ? `may alert: ${everySite}` : 'no site is listed',
      warning: BUTTON_WARNING,
      selected: configured.has(b.uuid),
    }));
  return { items, sites: siteItems };
}
