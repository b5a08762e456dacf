import { Coordinator } from '../../../src/core/coordinator';
import { TransientError } from '../../../src/core/errors';
import { CapturedLog } from '../../helpers/logs';
import { ManualClock } from '../../helpers/manualClock';

function setup(results: Array<'ok' | 'fail'>) {
  const clock = new ManualClock();
  const log = new CapturedLog();
  const calls: number[] = [];
  const availability: boolean[] = [];
  const data: number[] = [];
  const coordinator = new Coordinator<number>({
    what: 'polling',
    intervalMs: 60_000,
    clock,
    log,
    refresh: async () => {
      calls.push(clock.now());
      const r = results.length > 1 ? results.shift() : results[0];
      if (r === 'fail') throw new TransientError('down');
      return calls.length;
    },
    onData: (d) => data.push(d),
    onAvailability: (a) => availability.push(a),
  });
  return { clock, log, calls, availability, data, coordinator };
}

describe('Coordinator', () => {
  it('polls at the interval while the vendor answers', async () => {
    const { clock, calls, coordinator, availability } = setup(['ok']);
    const ac = new AbortController();
    void coordinator.start(ac.signal);
    await clock.advance(5 * 60_000);
    ac.abort();
    expect(calls.length).toBe(6); // t=0 and every minute
    expect(availability).toEqual([true]);
  });

  it('backs off exponentially while failing, capped at 15 minutes, and logs the failure once', async () => {
    const { clock, calls, coordinator, log, availability } = setup(['fail']);
    const ac = new AbortController();
    void coordinator.start(ac.signal);
    await clock.advance(2 * 60 * 60_000);
    ac.abort();
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    // equal jitter with random()=0.5: 3/4 of min(15 min, 1 min * 2^(n-1))
    expect(gaps.slice(0, 6)).toEqual([45_000, 90_000, 180_000, 360_000, 675_000, 675_000]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(15 * 60_000);
    expect(log.matching(/polling failed/)).toHaveLength(1);
    expect(availability).toEqual([false]);
  });

  it('returns to the normal interval after a success and says so once', async () => {
    const { clock, calls, coordinator, log, availability } = setup(['fail', 'fail', 'ok']);
    const ac = new AbortController();
    void coordinator.start(ac.signal);
    await clock.advance(10 * 60_000);
    ac.abort();
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    expect(gaps.slice(0, 2)).toEqual([45_000, 90_000]);
    expect(gaps.slice(2).every((g) => g === 60_000)).toBe(true);
    expect(log.matching(/works again/)).toHaveLength(1);
    expect(availability).toEqual([false, true]);
  });

  it('refreshSoon runs the next refresh at once', async () => {
    const { clock, calls, coordinator } = setup(['ok']);
    const ac = new AbortController();
    void coordinator.start(ac.signal);
    await clock.advance(1000);
    coordinator.refreshSoon();
    await clock.advance(1000);
    ac.abort();
    expect(calls.length).toBe(2);
  });

  it('stops on abort without logging an error', async () => {
    const { clock, coordinator, log } = setup(['ok']);
    const ac = new AbortController();
    const done = coordinator.start(ac.signal);
    await clock.advance(1000);
    ac.abort();
    await done;
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
