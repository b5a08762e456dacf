import { z } from 'zod';
import { accountSchema } from '../accountSchema';

export const festimeAccountSchema = accountSchema(
  { baseUrl: 'https://festime.mytiming.fr/webapi.aspx', pollIntervalSeconds: 60, minPollSeconds: 15 },
  {
    login: z.string().trim().min(1),
    password: z.string().min(1),
    /** Time zone of the terminals' clocks. */
    timezone: z
      .string()
      .default('Europe/Paris')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Europe/Paris'),
    breakCountsAsPresent: z.boolean().default(false),
    /** Local hour at which everyone still "present" is reset (people who forgot to badge out). */
    resetHour: z.number().int().min(0).max(23).default(4),
    /** Nobody gets a sensor of their own unless listed. */
    people: z.array(z.object({ uid: z.string().trim().min(1), name: z.string().trim().min(1).optional() })).default([]),
  },
);
export type FestimeAccount = z.output<typeof festimeAccountSchema>;
