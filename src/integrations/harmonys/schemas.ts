import { z } from 'zod';
import { eachValid, looseBoolean, looseObject, looseString } from '../../core/lenient';

// Only the fields the plugin reads are validated; "null" strings and odd types elsewhere are accepted (see core/lenient).
export const siteSchema = z.object({ uuid: z.string().min(1), name: looseString }).passthrough();
export type Site = z.output<typeof siteSchema>;
export const sitesSchema = eachValid(siteSchema);

export const buttonSchema = z.object({ uuid: looseString, name: looseString }).passthrough();
export type Button = z.output<typeof buttonSchema>;
export const buttonsSchema = eachValid(buttonSchema);

/**
 * One entry per alert in progress. For an alert whose configuration is unknown on the server the doc says the
 * button values are "null" and "name" reads "UNKNOWN MELODY"; whether that name sits in `button` or beside it is not
 * said, so both are read, and a null button is accepted. Every entry counts as an alert.
 */
export const inAlertSchema = eachValid(
  z.object({ sites: eachValid(siteSchema), button: looseObject(buttonSchema), name: looseString }).passthrough(),
);
export type InAlert = z.output<typeof inAlertSchema>;

export const disconnectedSchema = eachValid(
  siteSchema.extend({ disconnectedProducts: looseObject(z.object({ repeater: looseBoolean, sigma: looseBoolean }).passthrough()) }),
);
export type Disconnected = z.output<typeof disconnectedSchema>;

export const pressReplySchema = z.object({
  sitesAcknowledgement: z
    .object({ successAck: z.array(z.string()).default([]), notAck: z.array(z.string()).default([]) })
    .partial()
    .default({}),
  sitesNotFound: z.array(z.string()).default([]),
});
export type PressReply = z.output<typeof pressReplySchema>;

export const licenceSchema = z
  .object({
    clientName: z.string().nullish(),
    nbSites: z.number().nullish(),
    expired: z.boolean().nullish(),
    expirationDate: z.string().nullish(),
  })
  .passthrough();
export const httpsSchema = z.object({ expired: z.boolean().nullish(), expirationDate: z.string().nullish() }).passthrough();
export type Expiring = { expired?: boolean | null; expirationDate?: string | null };
