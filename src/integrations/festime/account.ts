import { z } from 'zod';
import { accountSchema, timeZoneField } from '../accountSchema';

export const festimeAccountSchema = accountSchema(
  { baseUrl: 'https://festime.mytiming.fr/webapi.aspx', pollIntervalSeconds: 60, minPollSeconds: 15 },
  {
    login: z.string().trim().min(1),
    password: z.string().min(1),
    /** Time zone of the terminals' clocks. */
    timezone: timeZoneField('Europe/Paris'),
    breakCountsAsPresent: z.boolean().default(false),
    /** Local hour at which everyone still "present" is reset (people who forgot to badge out). */
    resetHour: z.number().int().min(0).max(23).default(4),
    /** A terminal whose last connection scan is older than this shows a fault. */
    terminalScanMaxMinutes: z.number().int().min(5).max(1440).default(60),
    /** Nobody gets a sensor of their own unless listed. */
    people: z.array(z.object({ uid: z.string().trim().min(1), name: z.string().trim().min(1).optional() })).default([]),
  },
);
export type FestimeAccount = z.output<typeof festimeAccountSchema>;
