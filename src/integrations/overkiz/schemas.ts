import { z } from 'zod';
import { eachValid } from '../../core/lenient';

const stateSchema = z
  .object({
    name: z.string(),
    type: z.number().optional(),
    value: z.unknown(),
    /** Set by withStates: the last value kept, a malformed one came after it. */
    malformed: z.boolean().optional(),
  })
  .passthrough();

export const overkizDeviceSchema = z
  .object({
    deviceURL: z.string(),
    label: z.string().default(''),
    controllableName: z.string().default(''),
    widget: z.string().optional(),
    uiClass: z.string().optional(),
    available: z.boolean().default(true),
    enabled: z.boolean().default(true),
    type: z.number().optional(),
    definition: z.preprocess(
      // a device without (or with a broken) definition still maps from its widget and states
      (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined),
      z
        .object({
          commands: z.array(z.object({ commandName: z.string(), nparams: z.number().optional() }).passthrough()).default([]),
          states: z
            .array(
              z
                .object({ qualifiedName: z.string().optional(), type: z.string().optional(), values: z.array(z.string()).optional() })
                .passthrough(),
            )
            .default([]),
          widgetName: z.string().optional(),
          uiClass: z.string().optional(),
        })
        .passthrough()
        .default({ commands: [], states: [] }),
    ),
    states: eachValid(stateSchema),
    attributes: eachValid(stateSchema),
  })
  .passthrough();
export type OverkizDevice = z.output<typeof overkizDeviceSchema>;

export const setupSchema = z
  .object({
    gateways: z.array(z.object({ gatewayId: z.string(), alive: z.boolean().optional() }).passthrough()).default([]),
    /** One malformed device is left out (logged with the count), never the whole setup; its URL is kept. */
    devices: eachValid(overkizDeviceSchema, 'deviceURL'),
  })
  .passthrough();
export type OverkizSetup = z.output<typeof setupSchema>;

/** One Overkiz command of an /exec/apply action. */
export interface OverkizCommand {
  name: string;
  parameters: unknown[];
}
