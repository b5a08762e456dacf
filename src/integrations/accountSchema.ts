import { z } from 'zod';
import { normaliseFingerprint } from '../core/tls';

/** Fields every account shares. `baseUrl` defaults to the vendor's public service. */
export function accountSchema<T extends z.ZodRawShape>(
  defaults: { baseUrl?: string; pollIntervalSeconds: number; minPollSeconds: number },
  shape: T,
) {
  return z.object({
    label: z.string().trim().min(1).optional(),
    baseUrl: z
      .string()
      .trim()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must start with https:// (or http:// for a local test server)')
      .optional()
      .transform((u, ctx) => {
        const value = u ?? defaults.baseUrl;
        if (value === undefined) ctx.addIssue({ code: 'custom', message: 'is required (this service has no public default)' });
        return value ?? '';
      }),
    pollIntervalSeconds: z.number().int().min(defaults.minPollSeconds).max(86_400).default(defaults.pollIntervalSeconds),
    /** Only these devices (ids, names or kinds such as "cover", "sensor"); empty: all. */
    include: z.array(z.string().trim().min(1)).default([]),
    /** Never these devices (ids, names or kinds). */
    exclude: z.array(z.string().trim().min(1)).default([]),
    /** Where the devices appear: HomeKit (HAP), Matter (Homebridge 2 with Matter on for the bridge) or both. */
    expose: z.enum(['hap', 'matter', 'both']).default('hap'),
    /** Where the settings page keeps this account's passwords and keys (secret store, storage dir): not a secret. */
    credentialsRef: z.string().trim().min(1).optional(),
    ...shape,
  });
}

/** How a self-signed server is trusted: its CA (PEM text or a PEM file's path) or its certificate's SHA-256. */
export const tlsTrustFields = {
  caCertificate: z.string().trim().min(1).optional(),
  certificateFingerprint: z
    .string()
    .trim()
    .optional()
    .refine(
      (v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v.replace(/[:\s]/g, '')),
      'must be a SHA-256 digest: 64 hex digits, colons allowed',
    )
    .transform((v) => (v === undefined ? undefined : normaliseFingerprint(v))),
};

/** An IANA time zone, checked at config time (a bad one would fail every later date computation). */
export function timeZoneField(fallback: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Paris');
}
