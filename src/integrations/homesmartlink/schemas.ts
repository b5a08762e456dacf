import { z } from 'zod';

/** "19.5", "19,5" or 19.5 -> 19.5; anything else -> undefined (a bad reading is dropped, never shown as 0). */
export const looseNumber = z.union([z.number(), z.string()]).transform((v) => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const n = Number(v.trim().replace(',', '.'));
  return v.trim() !== '' && Number.isFinite(n) ? n : undefined;
});

export const authSchema = z.object({ type: z.string(), client: z.string() }).partial();

export const categorySchema = z.string();

export const deviceSchema = z.object({
  header: z.union([z.string(), z.number()]).transform(String),
  roomId: z.number().int(),
  roomName: z.string().default(''),
  softwareVersion: z.union([z.number(), z.string()]).optional(),
  category: categorySchema,
  online: z.boolean().default(false),
  mode: z.string().nullish(),
  sp: looseNumber.nullish(),
  pv: looseNumber.nullish(),
  lastUpdate: z.union([z.string(), z.number()]).nullish(),
  weekSchedule: z.unknown().optional(),
});
export type HslDevice = z.output<typeof deviceSchema>;

export const gatewaySchema = z
  .object({ token: z.string(), version: z.string(), lastPing: z.string(), installationDate: z.string() })
  .partial()
  .nullish();
export type HslGateway = z.output<typeof gatewaySchema>;

/** The doc spells the success key `reponse` for config/invitations and `response` elsewhere; both are accepted everywhere. */
function withReply<T extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(payload: T, extra?: E) {
  return z
    .object({ authorisation: authSchema.optional(), reponse: payload.optional(), response: payload.optional(), ...(extra ?? ({} as E)) })
    .passthrough()
    .transform((v, ctx) => {
      const reply = v.response ?? v.reponse;
      if (reply === undefined) {
        ctx.addIssue({ code: 'custom', message: 'neither "response" nor "reponse" is present', path: ['response'] });
        return z.NEVER;
      }
      return { ...v, reply: reply as z.output<T> };
    });
}

export const configReplySchema = withReply(z.array(deviceSchema), { gateway: gatewaySchema });
export type ConfigReply = z.output<typeof configReplySchema>;

export const invitationSchema = z
  .object({
    _id: z.string(),
    email: z.string().optional(),
    city: z.string().optional(),
    gatewayEnabled: z.boolean().optional(),
    hasGateway: z.boolean().optional(),
    rooms: z
      .array(
        z
          .object({ name: z.string().optional(), roomNumber: z.number().optional(), accessories: z.array(z.string()).optional() })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();
export const invitationsReplySchema = withReply(z.array(invitationSchema));

export const derogationSchema = z.object({
  homeId: z.string(),
  roomId: z.number().int(),
  startTime: z.number().int().min(0).max(1440).multipleOf(5),
  endTime: z.number().int().min(0).max(1440).multipleOf(5),
  delta: z.number().int().min(-5).max(5),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type Derogation = z.output<typeof derogationSchema>;

export const derogationsReplySchema = withReply(z.array(z.unknown()), {
  startTrigger: z.string().optional(),
  endTrigger: z.string().optional(),
});

export const reportReplySchema = withReply(
  z.object({
    summary: z.object({
      requested: looseNumber,
      sent: looseNumber,
      received: looseNumber,
      first: z.string().nullish(),
      last: z.string().nullish(),
    }),
    details: z
      .array(z.object({ acknowledge: z.boolean().optional(), homeId: z.string().optional(), sendAt: z.string().nullish() }).passthrough())
      .default([]),
  }),
);
export type Report = z.output<typeof reportReplySchema>['reply'];

export const userSchema = z.object({ homeId: z.string() }).passthrough();
export const usersReplySchema = withReply(z.array(userSchema));
