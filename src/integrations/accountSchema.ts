import { z } from 'zod';

/** Fields every account shares. `baseUrl` defaults to the vendor's public service. */
export function accountSchema<T extends z.ZodRawShape>(defaults: { baseUrl?: string; pollIntervalSeconds: number; minPollSeconds: number }, shape: T) {
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
    ...shape,
  });
}
