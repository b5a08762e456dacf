import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatchEvent, type EventTarget } from '../../../src/integrations/overkiz/events';
import type { OverkizEvent } from '../../../src/integrations/overkiz/client';

const calls: string[] = [];
const target: EventTarget = {
  stateChanged: (url, states) => calls.push(`state ${url} ${states.length}`),
  executionChanged: (e) => calls.push(`exec ${e.execId} ${e.newState}`),
  availability: (url, available) => calls.push(`available ${url} ${available}`),
  gateway: (id, alive) => calls.push(`gateway ${id} ${alive}`),
  setupChanged: () => calls.push('setup'),
};

describe('Overkiz events: a registry by name with validated payloads', () => {
  beforeEach(() => (calls.length = 0));

  it('dispatches the real events of the shared fixtures (cloud and local)', () => {
    for (const file of ['events.json', 'local_events.json']) {
      const events = JSON.parse(readFileSync(join(__dirname, '../../fixtures/overkiz/real', file), 'utf8')) as OverkizEvent[];
      for (const e of events) dispatchEvent(e, target);
    }
    expect(calls.some((c) => c.startsWith('state '))).toBe(true);
  });

  it('drops a malformed payload and ignores an unknown event, instead of acting on a wrong value', () => {
    dispatchEvent({ name: 'DeviceStateChangedEvent', deviceStates: [] } as OverkizEvent, target);
    dispatchEvent({ name: 'GatewayDownEvent', gatewayId: 42 } as unknown as OverkizEvent, target);
    dispatchEvent({ name: 'ExecutionStateChangedEvent', newState: 'COMPLETED' } as OverkizEvent, target);
    dispatchEvent({ name: 'SomethingNewEvent' } as OverkizEvent, target);
    expect(calls).toEqual([]);
    dispatchEvent({ name: 'GatewayDownEvent', gatewayId: '1234' } as OverkizEvent, target);
    dispatchEvent({ name: 'DeviceCreatedEvent' } as OverkizEvent, target);
    dispatchEvent(
      { name: 'ExecutionStateChangedEvent', execId: 'e1', newState: 'FAILED', failedCommands: 'garbage' } as OverkizEvent,
      target,
    );
    expect(calls).toEqual(['gateway 1234 false', 'setup', 'exec e1 FAILED']);
  });
});
