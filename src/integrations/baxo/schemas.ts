import { z } from 'zod';
import { eachValid } from '../../core/lenient';

const id = z.union([z.string(), z.number()]).transform(String);

export const contractsSchema = z.object({
  contracts: z.array(z.object({ id, reference: z.string().nullish(), company: z.string().nullish() }).passthrough()),
});

export const baxoDeviceSchema = z
  .object({
    id,
    name: z.string().nullish(),
    details: z.string().nullish(),
    status: z.coerce.number().int().default(0),
    timezone: z.string().nullish(),
  })
  .passthrough();
export type BaxoDevice = z.output<typeof baxoDeviceSchema>;
export const devicesSchema = z.object({ devices: z.array(baxoDeviceSchema) });

/** The doc spells the device key `deviceIdentifiant` in the multi-device reply and `deviceIdentifier` elsewhere. */
export const realtimeSchema = z.object({
  /** A malformed log is left out alone; the other tags of the reply are read. */
  logs: eachValid(
    z
      .object({
        deviceIdentifier: id.optional(),
        deviceIdentifiant: id.optional(),
        deviceId: id.optional(),
        tagReference: z.string(),
        value: z.unknown(),
        timestamp: z.coerce.number(),
        isEvent: z.union([z.boolean(), z.number(), z.string()]).optional(),
      })
      .passthrough()
      .transform((l) => ({
        device: l.deviceIdentifier ?? l.deviceIdentifiant ?? l.deviceId,
        tagReference: l.tagReference,
        value: l.value,
        timestamp: l.timestamp,
        isEvent: l.isEvent === true || l.isEvent === 1 || l.isEvent === 'true',
      })),
  ),
});
export type RealtimeLog = z.output<typeof realtimeSchema>['logs'][number];

export const historicsSchema = z.object({
  next: z.string().nullish(),
  historics: z.array(
    z
      .object({
        tagReference: z.string(),
        deviceIdentifier: id.optional(),
        deviceIdentifiant: id.optional(),
        logs: z.array(z.object({ value: z.unknown(), timestamp: z.coerce.number(), source: z.coerce.number().optional() }).passthrough()),
      })
      .passthrough(),
  ),
});
