import { z } from 'zod';
import { accountSchema, timeZoneField } from '../accountSchema';
import { demandWindowSchema } from './demandSchedule';

export const homesmartlinkAccountSchema = accountSchema(
  { pollIntervalSeconds: 120, minPollSeconds: 30 },
  {
    clientId: z.string().trim().min(1),
    clientSecret: z.string().min(1),
    homeIds: z.array(z.string().trim().min(1)).default([]),
    emails: z.array(z.string().trim().email()).default([]),
    allHomes: z.boolean().default(false),
    /**
     * IANA zone of the homes, for derogation windows. Default Europe/Paris: the service is French, and the host's zone
     * is UTC in most Docker installs, which would start every window 1-2 h early.
     */
    timezone: timeZoneField('Europe/Paris'),
    /** A heater report older than this shows a fault (`online` alone means "reported in the last 3 days"). */
    staleReadingMinutes: z.number().int().min(10).max(4320).default(120),
    /** Daily "Eco all" / "Boost all" windows (scheduled demand response), one derogation call per window. */
    demandSchedule: z.array(demandWindowSchema).default([]),
    derogation: z
      .object({
        durationMinutes: z.number().int().min(5).max(1440).default(120),
        boostDelta: z.number().int().min(1).max(5).default(2),
        ecoDelta: z.number().int().min(-5).max(-1).default(-2),
      })
      .default({ durationMinutes: 120, boostDelta: 2, ecoDelta: -2 }),
  },
).refine((a) => a.homeIds.length > 0 || a.emails.length > 0 || a.allHomes, {
  message: 'list homeIds or emails, or set allHomes: true',
  path: ['homeIds'],
});
export type HomeSmartlinkAccount = z.output<typeof homesmartlinkAccountSchema>;
