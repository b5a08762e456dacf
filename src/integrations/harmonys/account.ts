import { z } from 'zod';
import { accountSchema, tlsTrustFields } from '../accountSchema';

export const harmonysAccountSchema = accountSchema(
  { pollIntervalSeconds: 15, minPollSeconds: 5 },
  {
    apiKey: z.string().trim().min(8),
    /** How long a press waits for the sites' acknowledgements (they come from each site's master clock). */
    pressTimeoutSeconds: z.number().int().min(5).max(120).default(30),
    ...tlsTrustFields,
    /**
     * Kinds of alert to tell apart in Home (e.g. intrusion, confinement, evacuation): per site and district-wide,
     * one contact sensor per kind, open while an alert from one of its buttons runs.
     */
    alertKinds: z.array(z.object({ name: z.string().trim().min(1), buttonUuids: z.array(z.string().trim().min(1)).min(1) })).default([]),
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
    /**
     * Buttons (their buttonUuid, each also listed under buttons) that may be pressed over Matter too. Matter reaches
     * Google Home, Alexa and SmartThings: a button is kept off it unless listed here.
     */
    matterButtons: z.array(z.string().trim().min(1)).default([]),
  },
);
export type HarmonysAccount = z.output<typeof harmonysAccountSchema>;
