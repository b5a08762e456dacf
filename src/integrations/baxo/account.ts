import { z } from 'zod';
import { accountSchema } from '../accountSchema';
import { TAG_KINDS } from './devices';

export const baxoAccountSchema = accountSchema(
  { baseUrl: 'https://api.bamo.fr/k1', pollIntervalSeconds: 60, minPollSeconds: 30 },
  {
    username: z.string().trim().min(1),
    password: z.string().min(1),
    tags: z
      .array(
        z.object({
          contractId: z.string().trim().min(1).optional(),
          deviceId: z.union([z.string(), z.number()]).transform(String).pipe(z.string().trim().min(1)),
          tagReference: z.string().trim().min(1),
          as: z.enum(TAG_KINDS),
          name: z.string().trim().min(1).optional(),
          scale: z.number().optional(),
          offset: z.number().optional(),
          invert: z.boolean().optional(),
          threshold: z.number().optional(),
          latch: z.boolean().optional(),
        }),
      )
      .min(1),
    /** Logs every tag of each configured device (reference, current value, event or not) once at start. */
    listTags: z.boolean().default(false),
  },
);
export type BaxoAccount = z.output<typeof baxoAccountSchema>;
