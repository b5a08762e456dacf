import { z } from 'zod';
import type { OverkizEvent } from './client';

/** What the integration does with each kind of event; the registry below only validates and dispatches. */
export interface EventTarget {
  stateChanged(deviceURL: string, states: unknown[]): void;
  executionChanged(e: ExecutionEvent): void;
  availability(deviceURL: string, available: boolean): void;
  gateway(gatewayId: string, alive: boolean): void;
  /** A device was added, changed or removed in the Overkiz app: the setup is read again. */
  setupChanged(): void;
}

const deviceEvent = z.object({ deviceURL: z.string().min(1) }).passthrough();
const stateEvent = deviceEvent.extend({ deviceStates: z.array(z.unknown()).default([]) });
const gatewayEvent = z.object({ gatewayId: z.string().min(1) }).passthrough();
export const executionEventSchema = z
  .object({
    execId: z.string().min(1),
    newState: z.string(),
    failureType: z.string().optional(),
    failedCommands: z
      .array(z.object({ deviceURL: z.string().optional(), failureType: z.string().optional() }).passthrough())
      .optional()
      .catch(undefined),
  })
  .passthrough();
export type ExecutionEvent = z.output<typeof executionEventSchema>;

type Handler = (raw: OverkizEvent, target: EventTarget) => void;

/** A handler whose payload must match its schema; a malformed event is dropped (it changes nothing). */
function on<S extends z.ZodTypeAny>(schema: S, handle: (e: z.output<S>, target: EventTarget, name: string) => void): Handler {
  return (raw, target) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) handle(parsed.data, target, raw.name);
  };
}

/** Overkiz events by name. Events not listed here are ignored. */
export const EVENT_HANDLERS: Readonly<Record<string, Handler>> = {
  DeviceStateChangedEvent: on(stateEvent, (e, t) => t.stateChanged(e.deviceURL, e.deviceStates)),
  ExecutionStateChangedEvent: on(executionEventSchema, (e, t) => t.executionChanged(e)),
  DeviceAvailableEvent: on(deviceEvent, (e, t) => t.availability(e.deviceURL, true)),
  DeviceUnavailableEvent: on(deviceEvent, (e, t) => t.availability(e.deviceURL, false)),
  GatewayAliveEvent: on(gatewayEvent, (e, t) => t.gateway(e.gatewayId, true)),
  GatewayDownEvent: on(gatewayEvent, (e, t) => t.gateway(e.gatewayId, false)),
  DeviceCreatedEvent: (_e, t) => t.setupChanged(),
  DeviceUpdatedEvent: (_e, t) => t.setupChanged(),
  DeviceRemovedEvent: (_e, t) => t.setupChanged(),
};

export function dispatchEvent(e: OverkizEvent, target: EventTarget): void {
  EVENT_HANDLERS[e.name]?.(e, target);
}
