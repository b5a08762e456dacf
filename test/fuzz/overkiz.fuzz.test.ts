import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapOverkizDevice } from '../../src/integrations/overkiz/devices';
import { dispatchEvent, type EventTarget } from '../../src/integrations/overkiz/events';
import { type OverkizDevice, setupSchema } from '../../src/integrations/overkiz/schemas';
import { withStates } from '../../src/integrations/overkiz/states';
import { hapProblems } from './hapValues';
import { fuzz } from './run';

const REAL = join(__dirname, '../fixtures/overkiz/real');
const read = (f: string) => JSON.parse(readFileSync(join(REAL, f), 'utf8')) as { devices: unknown[] };
const setups = readdirSync(REAL).filter((f) => f.startsWith('setup_'));
/** Every real device, as the real servers sent it (cloud and local). */
const devices = setups.flatMap((f) => read(f).devices);
const events = [...(JSON.parse(readFileSync(join(REAL, 'events.json'), 'utf8')) as unknown[])];
const parsedDevices = setupSchema.parse({ devices }).devices;

/** A mutated device in a /setup: parsed and mapped, or left out; what it maps to is valid for HomeKit. */
function checkDevice(payload: unknown): string[] {
  const parsed = setupSchema.safeParse({ gateways: [], devices: [payload] });
  if (!parsed.success) return [];
  return parsed.data.devices.flatMap((d) => {
    const device = mapOverkizDevice(d);
    return device ? hapProblems(device) : [];
  });
}

/** A mutated event on the real devices: validated, applied, and the devices it touches still valid for HomeKit. */
function checkEvent(payload: unknown): string[] {
  const known = new Map<string, OverkizDevice>(parsedDevices.map((d) => [d.deviceURL, d]));
  const problems: string[] = [];
  const target: EventTarget = {
    stateChanged(url, states) {
      const d = known.get(url);
      if (!d) return;
      const mapped = mapOverkizDevice(withStates(d, states));
      if (mapped) problems.push(...hapProblems(mapped));
    },
    executionChanged: () => undefined,
    availability: () => undefined,
    gateway: () => undefined,
    setupChanged: () => undefined,
  };
  if (typeof payload !== 'object' || payload === null || typeof (payload as { name?: unknown }).name !== 'string') return [];
  dispatchEvent(payload as { name: string }, target);
  return problems;
}

describe('Overkiz fuzz: mutated real payloads through the schemas and mappings', () => {
  it('devices of the real /setup payloads: no exception, no invalid HomeKit value, no slow case', () => {
    expect(fuzz('overkiz device', devices, checkDevice, /^(states|label|widget|uiClass|deviceURL|available)/)).toEqual([]);
  });

  it('the real events: no exception, no invalid HomeKit value, no slow case', () => {
    expect(fuzz('overkiz event', events, checkEvent, /deviceStates|deviceURL|name/)).toEqual([]);
  });
});
