import { isAbort } from '../../core/errors';
import type { Discovery, Found } from '../discovery';
import type { HomeSmartlinkAccount } from './account';
import type { HomeSmartlinkClient } from './client';

/** The homes the partner may see: every consenting user's, and the invitations of the account's e-mails. */
export async function discoverHomes(client: HomeSmartlinkClient, account: HomeSmartlinkAccount, signal: AbortSignal): Promise<Discovery> {
  const homes = new Map<string, Found>();
  const chosen = new Set(account.homeIds);
  const users = await client.users(100, signal).catch((err: unknown) => {
    // A partner without the users route may still list the homes of its invitations.
    if (isAbort(err) || account.emails.length === 0) throw err;
    return [];
  });
  for (const user of users) {
    const extra = user as Record<string, unknown>;
    const text = (k: string) => (typeof extra[k] === 'string' ? (extra[k] as string).trim() : '');
    const person = [text('firstName'), text('lastName')].filter(Boolean).join(' ');
    const place = [text('zipCode'), text('city')].filter(Boolean).join(' ');
    homes.set(user.homeId, {
      id: user.homeId,
      name: person || place || user.homeId,
      kind: 'home',
      detail: [place, text('email') || text('contactEmail')].filter(Boolean).join(', ') || undefined,
      selected: chosen.has(user.homeId),
    });
  }
  for (const email of account.emails) {
    for (const inv of await client.invitations(email, signal)) {
      if (homes.has(inv._id)) continue;
      const rooms = inv.rooms?.length ? `${inv.rooms.length} rooms` : undefined;
      homes.set(inv._id, {
        id: inv._id,
        name: inv.city ?? inv._id,
        kind: 'home',
        detail: [`invitation of ${inv.email ?? email}`, rooms].filter(Boolean).join(', '),
        selected: chosen.has(inv._id),
      });
    }
  }
  return { items: [...homes.values()] };
}
