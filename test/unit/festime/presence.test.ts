import type { BadgeEvent } from '../../../src/integrations/festime/parse';
import { isPresent, lastReset, presenceFrom } from '../../../src/integrations/festime/presence';

const TZ = 'Europe/Paris';
const at = (local: string) => Date.parse(`${local}+01:00`);
let seq = 0;
const ev = (uid: string, movement: string, local: string, accessPoint = 'Hall'): BadgeEvent => ({
  id: String(++seq),
  uid,
  name: uid,
  movement,
  reason: '',
  at: at(local),
  accessPoint,
  terminal: '1',
});

describe('presence from badge events', () => {
  const since = lastReset(at('2026-11-23T12:00:00'), 4, TZ);

  it('resets at the reset hour of the current day, or of yesterday before it', () => {
    expect(since).toBe(at('2026-11-23T04:00:00'));
    expect(lastReset(at('2026-11-24T02:30:00'), 4, TZ)).toBe(at('2026-11-23T04:00:00'));
    expect(lastReset(at('2026-11-23T04:00:00'), 4, TZ)).toBe(at('2026-11-23T04:00:00'));
  });

  it('follows A, P, A, D', () => {
    const events = [ev('70', 'A', '2026-11-23T08:00:00')];
    expect(presenceFrom(events, since).get('70')?.state).toBe('present');
    events.push(ev('70', 'P', '2026-11-23T12:00:00'));
    const onBreak = presenceFrom(events, since).get('70');
    expect(onBreak?.state).toBe('break');
    expect(isPresent(onBreak, false)).toBe(false);
    expect(isPresent(onBreak, true)).toBe(true);
    events.push(ev('70', 'A', '2026-11-23T13:00:00'));
    expect(presenceFrom(events, since).get('70')?.state).toBe('present');
    events.push(ev('70', 'D', '2026-11-23T17:30:00'));
    expect(isPresent(presenceFrom(events, since).get('70'), true)).toBe(false);
  });

  it('applies events in time order whatever order they arrive in', () => {
    const events = [ev('71', 'D', '2026-11-23T17:00:00'), ev('71', 'A', '2026-11-23T08:00:00')];
    expect(presenceFrom(events, since).get('71')?.state).toBe('absent');
  });

  it('forgets a forgotten departure across the reset hour', () => {
    const events = [ev('72', 'A', '2026-11-22T18:00:00')];
    expect(presenceFrom(events, lastReset(at('2026-11-23T01:00:00'), 4, TZ)).get('72')?.state).toBe('present');
    expect(presenceFrom(events, lastReset(at('2026-11-23T04:30:00'), 4, TZ)).get('72')).toBeUndefined();
  });

  it('ignores unknown movement codes', () => {
    expect(presenceFrom([ev('73', 'X', '2026-11-23T08:00:00')], since).size).toBe(0);
  });

  it('an arrival dated hours ahead of our clock (a terminal with a wrong clock) is no presence until its time comes', () => {
    const now = at('2026-11-23T09:00:00');
    const events = [ev('74', 'A', '2026-11-23T13:00:00'), ev('75', 'A', '2026-11-23T09:05:00')];
    const p = presenceFrom(events, since, now);
    expect(p.get('74')).toBeUndefined();
    expect(p.get('75')?.state).toBe('present'); // a few minutes ahead: clocks differ a little
    expect(presenceFrom(events, since, at('2026-11-23T13:00:00')).get('74')?.state).toBe('present');
  });
});
