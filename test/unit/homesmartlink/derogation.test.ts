import { buildDerogationCalls, deltaFor, planWindow, windowEndsAt } from '../../../src/integrations/homesmartlink/derogation';

const TZ = 'Europe/Paris';
// 2026-11-23 is winter time in Paris: UTC+1.
const at = (local: string) => Date.parse(`${local}+01:00`);

describe('target temperature -> derogation', () => {
  it('delta = target - setpoint without our derogation, rounded', () => {
    expect(deltaFor(21, 19)).toEqual({ delta: 2, wanted: 2, clamped: false });
    expect(deltaFor(21.5, 19)).toEqual({ delta: 3, wanted: 3, clamped: false });
    expect(deltaFor(18.5, 19)).toEqual({ delta: -1, wanted: -1, clamped: false });
    expect(deltaFor(20, 19)).toEqual({ delta: 1, wanted: 1, clamped: false });
    expect(deltaFor(19.4, 19).delta).toBe(0);
    expect(Object.is(deltaFor(18.6, 19).delta, -0)).toBe(false);
  });

  it('clamps to ±5 and says so', () => {
    expect(deltaFor(30, 19)).toEqual({ delta: 5, wanted: 11, clamped: true });
    expect(deltaFor(7, 19)).toEqual({ delta: -5, wanted: -12, clamped: true });
  });

  it('starts at now rounded down to 5 minutes and ends duration later rounded up', () => {
    expect(planWindow(at('2026-11-23T08:32:40'), 120, TZ)).toEqual([{ date: '2026-11-23', startTime: 510, endTime: 630 }]);
    expect(planWindow(at('2026-11-23T08:30:00'), 7, TZ)).toEqual([{ date: '2026-11-23', startTime: 510, endTime: 520 }]);
  });

  it('splits a window crossing midnight into today and tomorrow', () => {
    expect(planWindow(at('2026-11-23T23:17:00'), 120, TZ)).toEqual([
      { date: '2026-11-23', startTime: 1395, endTime: 1440 },
      { date: '2026-11-24', startTime: 0, endTime: 75 },
    ]);
    // Month and year ends roll over too.
    expect(planWindow(Date.parse('2026-12-31T23:50:00+01:00'), 30, TZ)[1]).toEqual({ date: '2027-01-01', startTime: 0, endTime: 20 });
  });

  it('uses the home time zone, not UTC', () => {
    expect(planWindow(Date.parse('2026-11-23T23:30:00Z'), 60, TZ)).toEqual([{ date: '2026-11-24', startTime: 30, endTime: 90 }]);
  });

  it('builds one call per window part with every room sharing start and end', () => {
    const parts = planWindow(at('2026-11-23T23:17:00'), 120, TZ);
    const calls = buildDerogationCalls(
      [
        { homeId: 'h', roomId: 1, delta: 2 },
        { homeId: 'h', roomId: 2, delta: -1 },
      ],
      parts,
    );
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual([
      { homeId: 'h', roomId: 1, delta: 2, date: '2026-11-23', startTime: 1395, endTime: 1440 },
      { homeId: 'h', roomId: 2, delta: -1, date: '2026-11-23', startTime: 1395, endTime: 1440 },
    ]);
    expect(calls[1].every((d) => d.startTime === 0 && d.endTime === 75 && d.date === '2026-11-24')).toBe(true);
  });

  it('knows when the window ends', () => {
    const now = at('2026-11-23T08:32:40');
    expect(windowEndsAt(now, planWindow(now, 120, TZ), TZ)).toBe(at('2026-11-23T10:30:00'));
    const late = at('2026-11-23T23:17:00');
    expect(windowEndsAt(late, planWindow(late, 120, TZ), TZ)).toBe(at('2026-11-24T01:15:00'));
  });
});
