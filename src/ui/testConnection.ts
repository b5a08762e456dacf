import { describeError } from '../core/errors';
import { type Failure, openAccount, problemOf, type UiOptions, within } from './account';

export type ConnectionReport = Failure | { ok: true; message: string; devices: number };

/**
 * Logs in with one account as the plugin would and says, in words, what works or what is wrong, within
 * `timeoutMs` (15 s): the settings page's "Test connection". Nothing is published.
 */
export async function testConnection(configKey: string, raw: unknown, opts: UiOptions): Promise<ConnectionReport> {
  const open = openAccount(configKey, raw, opts);
  if ('ok' in open) return open;
  const limit = opts.timeoutMs ?? 15_000;
  try {
    const started = await within(open.integration.start(open.signal), limit);
    const problem = await problemOf(open);
    if (problem) return problem;
    if (started === 'timeout') return { ok: false, message: `${open.host} did not answer within ${Math.round(limit / 1000)} s` };
    const devices = open.integration.devices();
    const hidden = open.lines.filter((l) => /not exposed:/.test(l.message)).map((l) => l.message.replace(/^.*not exposed: /, ''));
    const extra = hidden.length ? `, ${hidden.length} not supported: ${hidden.slice(0, 5).join('; ')}` : '';
    return {
      ok: true,
      devices: devices.length,
      message: `Logged in to ${open.vendor.vendor} (${open.host}): ${devices.length} will appear in Home${extra}`,
    };
  } catch (err) {
    return { ok: false, message: describeError(err) };
  } finally {
    open.close();
  }
}
