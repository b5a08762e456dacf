import { demandWindowSchema, nextDemandOccurrence } from '../../../src/integrations/homesmartlink/demandSchedule';

const TZ = 'Europe/Paris';
const at = (local: string) => Date.parse(`${local}+01:00`);
const windows = [demandWindowSchema.parse({ mode: 'eco', start: '17:00', end: '19:00' })];

describe('scheduled demand response', () => {
  it('defaults to weekdays and validates times', () => {
    expect(windows[0]).toMatchObject({ start: 1020, end: 1140, days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(demandWindowSchema.safeParse({ mode: 'eco', start: '19:00', end: '17:00' }).success).toBe(false);
    expect(demandWindowSchema.safeParse({ mode: 'eco', start: '17:02', end: '19:00' }).success).toBe(false);
    expect(demandWindowSchema.safeParse({ mode: 'boost', start: '06:00', end: '24:00', days: ['sat'] }).success).toBe(true);
  });

  it('the next occurrence skips the weekend; one in progress is sent from now', () => {
    const friday = nextDemandOccurrence(windows, at('2026-11-27T16:50:00'), TZ)!;
    expect(friday.startsAt).toBe(at('2026-11-27T17:00:00'));
    expect(friday.part).toEqual({ date: '2026-11-27', startTime: 1020, endTime: 1140 });
    const afterFriday = nextDemandOccurrence(windows, at('2026-11-27T19:00:00'), TZ)!;
    expect(afterFriday.part.date).toBe('2026-11-30');
    const inside = nextDemandOccurrence(windows, at('2026-11-30T17:42:10'), TZ)!;
    expect(inside.part).toEqual({ date: '2026-11-30', startTime: 1060, endTime: 1140 });
    expect(inside.endsAt).toBe(at('2026-11-30T19:00:00'));
    expect(nextDemandOccurrence([], at('2026-11-30T17:00:00'), TZ)).toBeUndefined();
  });
});
