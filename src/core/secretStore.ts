import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from './log';
import { StateFile } from './stateFile';

const REF = /^bh-[0-9a-f]{16}$/;
const fileSchema = z.object({ accounts: z.record(z.string(), z.record(z.string(), z.string())) });

export const isCredentialsRef = (ref: unknown): ref is string => typeof ref === 'string' && REF.test(ref);

/**
 * The secrets the settings page saved (passwords, keys, tokens), kept out of config.json so that the browser never
 * receives them again: `<storage>/building-hub/secrets.json`, owner-only. An account points at its entry with
 * `credentialsRef`; a secret typed into config.json by hand still wins over the stored one.
 */
export class SecretStore {
  private readonly file: StateFile<z.output<typeof fileSchema>>;

  constructor(storagePath: string, log: Logger) {
    this.file = new StateFile(storagePath, 'secrets.json', fileSchema, log);
  }

  get(ref: string): Record<string, string> | undefined {
    return this.file.read()?.accounts[ref];
  }

  /** Merges `values` (non-empty strings only) into the entry of `ref`, made when missing; returns the ref. */
  set(ref: string | undefined, values: Record<string, string>): string {
    const id = isCredentialsRef(ref) ? ref : `bh-${randomBytes(8).toString('hex')}`;
    const all = this.file.read() ?? { accounts: {} };
    const kept = Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string' && v !== ''));
    all.accounts[id] = { ...all.accounts[id], ...kept };
    this.file.write(all);
    return id;
  }

  /** The names of the secrets stored for `ref` (never their values). */
  fields(ref: string): string[] {
    return Object.keys(this.get(ref) ?? {});
  }

  /** The account as the plugin reads it: each secret the config leaves empty taken from the store. */
  fill(item: unknown, secretFields: readonly string[]): unknown {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
    const account = item as Record<string, unknown>;
    const stored = isCredentialsRef(account.credentialsRef) ? this.get(account.credentialsRef) : undefined;
    if (!stored) return item;
    const filled = { ...account };
    for (const field of secretFields) if ((filled[field] ?? '') === '' && stored[field]) filled[field] = stored[field];
    return filled;
  }
}
