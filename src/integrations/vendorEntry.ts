import type { z } from 'zod';
import type { Integration, IntegrationContext } from './integration';

/** One entry per vendor: its config key, account schema and factory. */
export interface VendorEntry {
  configKey: string;
  /** Shown in logs ("[HomeSmartlink] ...") and used as the accessories' manufacturer fallback. */
  vendor: string;
  schema: z.ZodType;
  create(account: unknown, ctx: IntegrationContext): Integration;
}

export function defineVendor<S extends z.ZodType>(entry: {
  configKey: string;
  vendor: string;
  schema: S;
  create(account: z.output<S>, ctx: IntegrationContext): Integration;
}): VendorEntry {
  // parseConfig hands `create` only what `schema` produced, so the cast restores the type it erased.
  return entry as unknown as VendorEntry;
}
