import type { OverkizDevice } from './schemas';

/** Reads a device's current states by name, leniently: a missing or mistyped state is undefined, never 0. */
export class StateReader {
  private readonly values: Map<string, unknown>;
  private readonly commands: Set<string>;

  constructor(device: OverkizDevice) {
    this.values = new Map(device.states.map((s) => [s.name, s.value]));
    this.commands = new Set(device.definition.commands.map((c) => c.commandName));
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  number(name: string): number | undefined {
    const v = this.values.get(name);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  boolean(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  /** A state whose value is a JSON object (Atlantic's operating modes). */
  object(name: string): Record<string, unknown> | undefined {
    const v = this.values.get(name);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  }

  can(command: string): boolean {
    return this.commands.has(command);
  }
}

/** The kind of a state value, to tell a malformed new value from a real change. */
const kindOfValue = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * The device with the new values of a DeviceStateChangedEvent. Entries that are not `{ name, value }` (a
 * malformed event) are skipped: they change nothing instead of losing the whole batch of events. A value of another
 * kind than the state had (null, a list or an object where a number was) is not a reading: the last good value is
 * kept and the state is flagged `malformed` until a good value comes (the device's services show a fault).
 */
export function withStates(device: OverkizDevice, changes: unknown): OverkizDevice {
  const states = new Map(device.states.map((s) => [s.name, s]));
  for (const c of Array.isArray(changes) ? changes : []) {
    if (!c || typeof c !== 'object' || typeof (c as { name?: unknown }).name !== 'string') continue;
    const { name, value } = c as { name: string; value: unknown };
    const known = states.get(name);
    const before = known === undefined || known.malformed === true ? undefined : kindOfValue(known.value);
    if (known && before !== undefined && before !== 'null' && kindOfValue(value) !== before)
      states.set(name, { ...known, malformed: true });
    else states.set(name, { ...(known ?? { name }), value, malformed: undefined });
  }
  return { ...device, states: [...states.values()].map(({ malformed, ...st }) => (malformed ? { ...st, malformed } : st)) };
}

/** A state of the device holds a malformed value (see withStates). */
export const hasMalformedState = (device: OverkizDevice) => device.states.some((s) => s.malformed === true);
