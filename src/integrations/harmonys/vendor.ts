import { z } from 'zod';
import { normaliseFingerprint } from '../../core/tls';
import { accountSchema } from '../accountSchema';
import { defineVendor } from '../vendorEntry';
import { HarmonysIntegration } from './integration';

export const harmonysAccountSchema = accountSchema(
  { pollIntervalSeconds: 15, minPollSeconds: 5 },
  {
    apiKey: z.string().trim().min(8),
    /** PEM text or the path of a PEM file: the CA (or the self-signed certificate) that signed the server's certificate. */
    caCertificate: z.string().trim().min(1).optional(),
    /** SHA-256 of the server certificate, hex with or without colons: trusts exactly that certificate. */
    certificateFingerprint: z
      .string()
      .trim()
      .optional()
      .refine((v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v.replace(/[:\s]/g, '')), 'must be a SHA-256 digest: 64 hex digits, colons allowed')
      .transform((v) => (v === undefined ? undefined : normaliseFingerprint(v))),
    /** Alert buttons are exposed only when listed here, one by one. */
    buttons: z
      .array(
        z.object({
          buttonUuid: z.string().trim().min(1),
          siteUuids: z.array(z.string().trim().min(1)).min(1).optional(),
          name: z.string().trim().min(1).optional(),
        }),
      )
      .default([]),
  },
);
export type HarmonysAccount = z.output<typeof harmonysAccountSchema>;

export const harmonysVendor = defineVendor({
  configKey: 'harmonys',
  vendor: 'Harmonys',
  schema: harmonysAccountSchema,
  create: (account, ctx) => new HarmonysIntegration(account, ctx),
});
