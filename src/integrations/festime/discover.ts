import type { Clock } from '../../core/clock';
import { frenchDate } from '../../core/time';
import type { Discovery, Found } from '../discovery';
import type { FestimeAccount } from './account';
import type { FestimeClient } from './client';

const DAY = 86_400_000;
export const PEOPLE_NOTE =
  'Each person ticked gets an occupancy sensor that anyone with access to this Home can see. Tick only people who agreed to it.';

/** The people who badged in the last 7 days (each one opt-in), newest first. */
export async function discoverPeople(
  client: FestimeClient,
  account: FestimeAccount,
  clock: Clock,
  signal: AbortSignal,
): Promise<Discovery> {
  const now = clock.now();
  const events = await client.pointages({ since: frenchDate(now - 7 * DAY, account.timezone) }, signal);
  const chosen = new Set(account.people.map((p) => p.uid));
  const people = new Map<string, { name: string; last: number }>();
  for (const e of events) {
    if (!e.uid || e.at > now + 5 * 60_000) continue;
    const seen = people.get(e.uid);
    if (!seen || e.at > seen.last) people.set(e.uid, { name: e.name || seen?.name || e.uid, last: e.at });
  }
  const items: Found[] = [...people]
    .sort((a, b) => b[1].last - a[1].last)
    .map(([uid, p]) => ({
      id: uid,
      name: p.name,
      kind: 'person',
      detail: `last badge ${new Date(p.last).toLocaleString('en-GB', { timeZone: account.timezone })}`,
      selected: chosen.has(uid),
    }));
  return { items, note: PEOPLE_NOTE };
}
