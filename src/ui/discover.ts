import { describeError } from '../core/errors';
import { isEmpty } from '../core/unknownKeys';
import type { Discovery } from '../integrations/discovery';
import { failureFrom, type Failure, openAccount, problemOf, type UiOptions, within } from './account';

export type DiscoveryReport = Failure | ({ ok: true } & Discovery);

/**
 * The settings page's pickers: logs in with the account and lists what it could show (devices, homes, buttons,
 * tags, people), within `timeoutMs` (15 s). The account's include and exclude lists are left out so that every
 * device is listed; the vendor's discovery defaults fill what the picker itself is there to choose.
 */
export async function discover(configKey: string, raw: unknown, opts: UiOptions): Promise<DiscoveryReport> {
  const open = openAccount(configKey, raw, opts, (vendor, item) => {
    const unset = Object.entries(vendor.discoveryDefaults ?? {}).filter(([k]) => isEmpty(item[k]));
    return { include: [], exclude: [], ...Object.fromEntries(unset) };
  });
  if ('ok' in open) return open;
  const limit = opts.timeoutMs ?? 15_000;
  try {
    if (!open.integration.discover) return { ok: false, message: `${open.vendor.vendor} has nothing to pick` };
    const found = await within(open.integration.discover(open.signal), limit);
    if (found === 'timeout') return { ok: false, message: `${open.host} did not answer within ${Math.round(limit / 1000)} s` };
    if (found.items.length === 0) return (await problemOf(open)) ?? { ok: true, ...found };
    return { ok: true, ...found };
  } catch (err) {
    return (await problemOf(open)) ?? failureFrom(open, describeError(err));
  } finally {
    open.close();
  }
}
