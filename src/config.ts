import { z } from 'zod';
import { parseClamped } from './core/clampConfig';
import type { SecretStore } from './core/secretStore';
import { isUntouched, schemaKeys, unknownKeyWarnings } from './core/unknownKeys';
import { describeZodError } from './core/validate';
import { VENDORS, type VendorEntry } from './integrations';
import type { AccountBase } from './integrations/vendorEntry';

const platformSchema = z.object({
  name: z.string().default('Building Hub'),
  demo: z.boolean().default(false),
  /** Raises the plugin's debug lines to info, without starting Homebridge in debug mode. */
  debug: z.boolean().default(false),
});

export interface AccountEntry {
  vendor: VendorEntry;
  account: AccountBase;
  index: number;
}

export interface ParsedConfig {
  name: string;
  demo: boolean;
  debug: boolean;
  accounts: AccountEntry[];
  /** One line per skipped account or bad setting, naming the field. */
  problems: string[];
  /** One line per setting clamped to its allowed range (the account still starts). */
  warnings: string[];
  /** Debug lines: account rows nobody filled in, left out. */
  notes: string[];
}

/**
 * Validates the platform block. A bad account is skipped with one line naming the field; the others still start.
 * Never throws.
 */
export function parseConfig(raw: unknown, vendors: readonly VendorEntry[] = VENDORS, secrets?: Pick<SecretStore, 'fill'>): ParsedConfig {
  const out = parsePlatform(raw, vendors);
  for (const step of parseAccounts(raw, vendors, secrets, out)) void step;
  return out;
}

/** The platform's own settings (name, demo, debug), with no account yet. */
export function parsePlatform(raw: unknown, vendors: readonly VendorEntry[] = VENDORS): ParsedConfig {
  const block = blockOf(raw);
  const problems: string[] = [];
  const base = platformSchema.safeParse(block);
  const top = base.success ? base.data : platformSchema.parse({});
  if (!base.success) problems.push(`platform settings: ${describeZodError(base.error)} (defaults used)`);
  // Homebridge's own keys, ours, and one list per vendor: a misspelt one ("Overkiz", "pollInterval") gets one line.
  const topKeys = ['platform', '_bridge', ...Object.keys(platformSchema.shape), ...vendors.map((v) => v.configKey)];
  return { ...top, accounts: [], problems, warnings: unknownKeyWarnings('platform block', block, topKeys), notes: [] };
}

function blockOf(raw: unknown): Record<string, unknown> {
  return (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
}

/** Parses one account per step into `out` (a caller may let the event loop run between two steps). */
export function* parseAccounts(
  raw: unknown,
  vendors: readonly VendorEntry[],
  secrets: Pick<SecretStore, 'fill'> | undefined,
  out: ParsedConfig,
): Generator<void> {
  const block = blockOf(raw);
  for (const vendor of vendors) {
    const list = block[vendor.configKey];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      out.problems.push(`${vendor.configKey}: must be a list of accounts; ignored`);
      continue;
    }
    const accountKeys = schemaKeys(vendor.schema);
    for (const [index, given] of (list as unknown[]).entries()) {
      if (isUntouched(vendor.schema, given)) {
        out.notes.push(`${vendor.configKey}[${index}] is empty (nothing filled in): left out`);
        continue;
      }
      const item = secrets ? secrets.fill(given, vendor.secretFields) : given;
      out.warnings.push(...unknownKeyWarnings(`${vendor.configKey}[${index}]`, item, accountKeys));
      const { result: parsed, clamped } = parseClamped(vendor.schema, item);
      for (const line of clamped) out.warnings.push(`${vendor.configKey}[${index}] ${line}`);
      if (parsed.success) out.accounts.push({ vendor, account: parsed.data, index });
      else out.problems.push(`${vendor.configKey}[${index}] skipped: ${describeZodError(parsed.error)}`);
      yield;
    }
  }
}
