import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatchEvent, type EventTarget } from '../../../src/integrations/overkiz/events';
import type { OverkizEvent } from '../../../src/integrations/overkiz/client';
import { mapOverkizDevice } from '../../../src/integrations/overkiz/devices';
import { type OverkizDevice, setupSchema } from '../../../src/integrations/overkiz/schemas';
import { withStates } from '../../../src/integrations/overkiz/states';

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

describe('a malformed state value keeps the last good one (never an invented position)', () => {
  const shutter = setupSchema
    .parse(JSON.parse(readFileSync(join(__dirname, '../../fixtures/overkiz/real/setup_nexity.json'), 'utf8')))
    .devices.find((d) => d.widget === 'PositionableRollerShutter')!; // closure 6 = 94 % open
  const cover = (d: OverkizDevice) => mapOverkizDevice(d)?.capabilities.find((c) => c.kind === 'cover');

  it.each([null, [], {}, 'UNKNOWN'])('ClosureState %j: the position stays 94 %, the service shows a fault', (bad) => {
    const after = withStates(shutter, [{ name: 'core:ClosureState', value: bad }]);
    expect(cover(after)).toMatchObject({ currentPosition: 94, fault: true });
    expect(cover(after)).not.toHaveProperty('assumed');
    // the next good value is read, and the fault goes
    const healed = withStates(after, [{ name: 'core:ClosureState', value: 30 }]);
    expect(cover(healed)).toMatchObject({ currentPosition: 70 });
    expect(cover(healed)).not.toHaveProperty('fault');
  });

  it('a cover whose first position state is no position shows a fault, not a believable 50 %', () => {
    const broken = { ...shutter, states: shutter.states.map((st) => (st.name === 'core:ClosureState' ? { ...st, value: 'UNKNOWN' } : st)) };
    expect(cover(broken)).toMatchObject({ fault: true, assumed: true });
  });
});

describe('a malformed device in /setup affects only itself', () => {
  it('a device without deviceURL is left out, one with definition null still maps, the others are kept', () => {
    const real = setupSchema.parse(JSON.parse(readFileSync(join(__dirname, '../../fixtures/overkiz/real/setup_nexity.json'), 'utf8')));
    const raw = JSON.parse(JSON.stringify(real)) as { devices: Array<Record<string, unknown>> };
    const shutter = raw.devices.findIndex((d) => d.widget === 'PositionableRollerShutter');
    raw.devices[shutter] = { ...raw.devices[shutter], definition: null, states: [{ name: 'core:ClosureState', value: 10 }, null] };
    delete raw.devices[0].deviceURL;
    const parsed = setupSchema.parse(raw);
    expect(parsed.devices).toHaveLength(real.devices.length - 1);
    const survivor = parsed.devices.find((d) => d.deviceURL === real.devices[shutter].deviceURL)!;
    expect(mapOverkizDevice(survivor)?.capabilities[0]).toMatchObject({ kind: 'cover', currentPosition: 90 });
  });
});
