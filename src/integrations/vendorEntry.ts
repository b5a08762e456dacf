import type { z } from 'zod';
import type { Integration, IntegrationContext } from './integration';

/** What every account has (accountSchema): the platform reads these and nothing else of an account. */
export interface AccountBase {
  label?: string;
  baseUrl: string;
  pollIntervalSeconds: number;
  include: string[];
  exclude: string[];
  expose: 'hap' | 'matter' | 'both';
}

/** A simulated service with a demo building, and the account (raw config, as a user would type it) pointed at it. */
export interface VendorDemo {
  account: Record<string, unknown>;
  url: string;
  /** How many requests the simulator has answered (the bench counts a vendor's requests with it). */
  requests(): number;
  stop(): Promise<void>;
}

/** One entry per vendor: its config key, account schema, factory and demo. The registry (index.ts) is the only list. */
export interface VendorEntry {
  configKey: string;
  /** Shown in logs ("[HomeSmartlink] ...") and used as the accessories' manufacturer fallback. */
  vendor: string;
  schema: z.ZodType<AccountBase>;
  /** Fields holding a password, key or token: the settings page keeps them in the secret store, never shows them. */
  secretFields: readonly string[];
  /**
   * What the settings page's discovery assumes where the account leaves it empty: the fields the picker is there
   * to fill (BAXO's tags, HomeSmartlink's homes) would otherwise fail validation before anything can be listed.
   */
  discoveryDefaults?: Record<string, unknown>;
  create(account: AccountBase, ctx: IntegrationContext): Integration;
  /** Starts the vendor's simulator for demo mode (loaded only then). */
  demo(): Promise<VendorDemo>;
}

export function defineVendor<S extends z.ZodType<AccountBase>>(entry: {
  configKey: string;
  vendor: string;
  schema: S;
  secretFields: ReadonlyArray<keyof z.input<S> & string>;
  discoveryDefaults?: Partial<z.input<S>>;
  create(account: z.output<S>, ctx: IntegrationContext): Integration;
  demo(): Promise<VendorDemo>;
}): VendorEntry {
  // parseConfig hands `create` only what `schema` produced, so the cast restores the type it erased.
  return entry as unknown as VendorEntry;
}
