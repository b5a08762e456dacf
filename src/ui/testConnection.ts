import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../core/clock';
import { describeError } from '../core/errors';
import { peerFingerprint } from '../core/tls';
import type { Logger } from '../core/log';
import { describeZodError } from '../core/validate';
import { VENDORS } from '../integrations';

export interface ConnectionReport {
  ok: boolean;
  /** What works or what is wrong, in words, for the settings page. */
  message: string;
  devices?: number;
  /** The server's certificate fingerprint when it is not trusted (for the user to check and paste). */
  fingerprint?: string;
}

/**
 * Logs in with one account as the plugin would and says, in words, what works or what is wrong, within `timeoutMs`:
 * the settings page's "Test connection". Nothing is published; the files the account would keep go to a scratch
 * folder under the storage dir, removed afterwards.
 */
export async function testConnection(
  configKey: string,
  raw: unknown,
  opts: { storagePath: string; timeoutMs?: number },
): Promise<ConnectionReport> {
  const vendor = VENDORS.find((v) => v.configKey === configKey);
  if (!vendor) return { ok: false, message: `unknown service "${configKey}"` };
  const parsed = vendor.schema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: `The settings are incomplete: ${describeZodError(parsed.error)}` };
  const lines: Array<{ level: string; message: string }> = [];
  const log: Logger = {
    info: (m) => lines.push({ level: 'info', message: m }),
    warn: (m) => lines.push({ level: 'warn', message: m }),
    error: (m) => lines.push({ level: 'error', message: m }),
    debug: (m) => lines.push({ level: 'debug', message: m }),
  };
  const scratch = mkdtempSync(join(opts.storagePath, '.building-hub-test-'));
  const abort = new AbortController();
  try {
    const integration = vendor.create(parsed.data, { log, clock: systemClock, storagePath: scratch });
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), opts.timeoutMs ?? 15_000).unref());
    const started = await Promise.race([integration.start(abort.signal).then(() => 'started' as const), timeout]);
    const problem = lines.find((l) => l.level === 'error' || l.level === 'warn');
    const host = new URL(parsed.data.baseUrl).host;
    if (problem) {
      const text = problem.message.replace(/^\[[^\]]+\] [^:]+: /, '');
      if (/certificate/i.test(text)) {
        const fingerprint = await peerFingerprint(parsed.data.baseUrl);
        const hint = fingerprint
          ? ` Its SHA-256 fingerprint is ${fingerprint}: if it is your server, paste it into certificateFingerprint.`
          : '';
        return { ok: false, message: `${host}: the server's certificate is not trusted.${hint}`, fingerprint };
      }
      if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|timed out|timeout|unreachable|not answer/i.test(text))
        return { ok: false, message: `${host} cannot be reached: ${text}` };
      if (/refused|credentials|401|403|password/i.test(text)) return { ok: false, message: `${host}: the login was refused: ${text}` };
      return { ok: false, message: `${host}: ${text}` };
    }
    if (started === 'timeout')
      return { ok: false, message: `${host} did not answer within ${Math.round((opts.timeoutMs ?? 15_000) / 1000)} s` };
    const devices = integration.devices();
    const hidden = lines.filter((l) => /not exposed:/.test(l.message)).map((l) => l.message.replace(/^.*not exposed: /, ''));
    const extra = hidden.length ? `, ${hidden.length} not supported: ${hidden.slice(0, 5).join('; ')}` : '';
    return {
      ok: true,
      devices: devices.length,
      message: `Logged in to ${vendor.vendor} (${host}): ${devices.length} will appear in Home${extra}`,
    };
  } catch (err) {
    return { ok: false, message: describeError(err) };
  } finally {
    abort.abort();
    rmSync(scratch, { recursive: true, force: true });
  }
}
