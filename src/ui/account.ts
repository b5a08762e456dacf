import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../core/clock';
import type { Logger } from '../core/log';
import type { SecretStore } from '../core/secretStore';
import { peerFingerprint } from '../core/tls';
import { describeZodError } from '../core/validate';
import { VENDORS, type VendorEntry } from '../integrations';
import type { Integration } from '../integrations/integration';

export interface UiOptions {
  storagePath: string;
  /** The secrets saved by the settings page: an account's empty password is read from there. */
  secrets?: Pick<SecretStore, 'fill'>;
  timeoutMs?: number;
}

/** What the settings page shows after a test or a discovery that did not work: the cause, in words. */
export interface Failure {
  ok: false;
  message: string;
  /** The server's certificate fingerprint when it is not trusted (for the user to check and confirm). */
  fingerprint?: string;
}

export interface OpenAccount {
  vendor: VendorEntry;
  integration: Integration;
  host: string;
  baseUrl: string;
  /** The lines the integration logged, for the report. */
  lines: Array<{ level: 'info' | 'warn' | 'error' | 'debug'; message: string }>;
  signal: AbortSignal;
  close(): void;
}

/**
 * One account's integration, made as the plugin makes it but publishing nothing: its log is captured and the files
 * it would keep go to a scratch folder under the storage dir, removed by close().
 */
export function openAccount(
  configKey: string,
  raw: unknown,
  opts: UiOptions,
  overrides: (vendor: VendorEntry, item: Record<string, unknown>) => Record<string, unknown> = () => ({}),
): OpenAccount | Failure {
  const vendor = VENDORS.find((v) => v.configKey === configKey);
  if (!vendor) return { ok: false, message: `unknown service "${configKey}"` };
  const given = opts.secrets ? opts.secrets.fill(raw, vendor.secretFields) : raw;
  const item =
    given && typeof given === 'object' && !Array.isArray(given)
      ? { ...given, ...overrides(vendor, given as Record<string, unknown>) }
      : given;
  const parsed = vendor.schema.safeParse(item);
  if (!parsed.success) return { ok: false, message: `The settings are incomplete: ${describeZodError(parsed.error)}` };
  const lines: OpenAccount['lines'] = [];
  const log: Logger = {
    info: (m) => lines.push({ level: 'info', message: m }),
    warn: (m) => lines.push({ level: 'warn', message: m }),
    error: (m) => lines.push({ level: 'error', message: m }),
    debug: (m) => lines.push({ level: 'debug', message: m }),
  };
  const scratch = mkdtempSync(join(opts.storagePath, '.building-hub-test-'));
  const abort = new AbortController();
  const close = () => {
    abort.abort();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const integration = vendor.create(parsed.data, { log, clock: systemClock, storagePath: scratch });
    const baseUrl = parsed.data.baseUrl;
    return { vendor, integration, host: new URL(baseUrl).host, baseUrl, lines, signal: abort.signal, close };
  } catch (err) {
    close();
    throw err;
  }
}

/** Settles with `work`'s value, or 'timeout' after `ms`. */
export function within<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms).unref());
  return Promise.race([work, timeout]);
}

/** The first warning or error the integration logged, said as the user needs it; undefined when there was none. */
export async function problemOf(open: OpenAccount): Promise<Failure | undefined> {
  const problem = open.lines.find((l) => l.level === 'error' || l.level === 'warn');
  if (!problem) return undefined;
  return failureFrom(open, problem.message.replace(/^\[[^\]]+\] [^:]+: /, ''));
}

export async function failureFrom(open: Pick<OpenAccount, 'host' | 'baseUrl'>, text: string): Promise<Failure> {
  const { host } = open;
  if (/certificate/i.test(text)) {
    const fingerprint = await peerFingerprint(open.baseUrl);
    const hint = fingerprint ? ` Its SHA-256 fingerprint is ${fingerprint}: if it is your server, confirm it to trust it.` : '';
    return { ok: false, message: `${host}: the server's certificate is not trusted.${hint}`, fingerprint };
  }
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|timed out|timeout|unreachable|not answer/i.test(text))
    return { ok: false, message: `${host} cannot be reached: ${text}` };
  if (/refused|credentials|401|403|password/i.test(text)) return { ok: false, message: `${host}: the login was refused: ${text}` };
  return { ok: false, message: `${host}: ${text}` };
}
