import { z } from 'zod';

export const siteSchema = z
  .object({
    uuid: z.string(),
    name: z.string().nullish(),
    sitelps: z.object({ sigmalp: z.string().nullish(), repeaterlp: z.string().nullish() }).partial().nullish(),
    address: z.string().nullish(),
  })
  .passthrough();
export type Site = z.output<typeof siteSchema>;
export const sitesSchema = z.array(siteSchema);

export const buttonSchema = z
  .object({
    uuid: z.string().nullish(),
    name: z.string().nullish(),
    color: z.string().nullish(),
    configuration: z.string().nullish(),
    number: z.number().nullish(),
    position: z.number().nullish(),
    nbMelody: z.number().nullish(),
    isPPMS: z.boolean().nullish(),
  })
  .passthrough();
export type Button = z.output<typeof buttonSchema>;
export const buttonsSchema = z.array(buttonSchema);

/**
 * One entry per alert in progress. For an alert whose configuration is unknown on the server the doc says the
 * button values are null and "name" reads "UNKNOWN MELODY"; whether that name sits in `button` or beside it is not
 * said, so both are read, and a null button is accepted. Every entry counts as an alert.
 */
export const inAlertSchema = z.array(
  z
    .object({
      sites: z.array(siteSchema).default([]),
      button: buttonSchema.nullish(),
      name: z.string().nullish(),
    })
    .passthrough(),
);
export type InAlert = z.output<typeof inAlertSchema>;

export const disconnectedSchema = z.array(
  siteSchema.extend({
    disconnectedProducts: z.object({ repeater: z.boolean().nullish(), sigma: z.boolean().nullish() }).partial().nullish(),
  }),
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
