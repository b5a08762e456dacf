import { AuthError, ConfigError, DegradedError, TransientError } from '../../../src/core/errors';
import { PollLoop } from '../../../src/core/pollLoop';
import { CapturedLog } from '../../helpers/logs';
import { ManualClock } from '../../helpers/manualClock';

function setup(results: Array<'ok' | 'fail' | 'auth' | 'config'>, intervalMs = 60_000) {
  const clock = new ManualClock();
  const log = new CapturedLog();
  const calls: number[] = [];
  const availability: Array<[number, boolean]> = [];
  const loop = new PollLoop({
    what: 'polling',
    intervalMs,
    clock,
    log,
    refresh: async () => {
      calls.push(clock.now());
      const r = results.length > 1 ? results.shift() : results[0];
      if (r === 'fail') throw new TransientError('down');
      if (r === 'auth') throw new AuthError('refused');
      if (r === 'config') throw new ConfigError('the certificate is not trusted');
    },
    onAvailability: (a) => availability.push([clock.now() - t0, a]),
  });
  const t0 = clock.now();
  const gaps = () => calls.slice(1).map((t, i) => t - calls[i]);
  return { clock, log, calls, availability, loop, gaps };
}

describe('PollLoop', () => {
  it('polls at the interval while the vendor answers', async () => {
    const { clock, calls, loop, availability } = setup(['ok']);
    const ac = new AbortController();
    void loop.start(ac.signal);
    await clock.advance(5 * 60_000);
    ac.abort();
    expect(calls).toHaveLength(6); // t=0 and every minute
    expect(availability).toEqual([[0, true]]);
  });

  it('a failure that heals by itself (outage, 5xx, bad reply) is tried again within two cycles, logged once', async () => {
    const { clock, loop, log, gaps } = setup(['ok', 'fail']);
    const ac = new AbortController();
    void loop.start(ac.signal);
    await clock.advance(2 * 60 * 60_000);
    ac.abort();
    // equal jitter with random()=0.5, never beyond two intervals; the first retry falls at the 30 s verdict
    expect(gaps().slice(0, 6)).toEqual([60_000, 30_000, 90_000, 120_000, 120_000, 120_000]);
    expect(Math.max(...gaps())).toBeLessThanOrEqual(2 * 60_000);
    expect(log.matching(/polling failed/)).toHaveLength(1);
  });

  it('a failure that does not heal by itself (a configuration problem) backs off exponentially, capped at 15 minutes', async () => {
    const { clock, loop, gaps } = setup(['ok', 'config']);
    const ac = new AbortController();
    void loop.start(ac.signal);
    await clock.advance(2 * 60 * 60_000);
    ac.abort();
    expect(gaps().slice(0, 7)).toEqual([60_000, 30_000, 90_000, 180_000, 360_000, 675_000, 675_000]);
    expect(Math.max(...gaps())).toBeLessThanOrEqual(15 * 60_000);
  });

  it('one failure among successes changes nothing; failures lasting 2 attempts and 30 s mark the route down', async () => {
    const blip = setup(['ok', 'fail', 'ok'], 1000);
    const ac = new AbortController();
    void blip.loop.start(ac.signal);
    await blip.clock.advance(60_000);
    expect(blip.availability).toEqual([[0, true]]);
    ac.abort();

    const outage = setup(['ok', 'fail'], 1000);
    const ac2 = new AbortController();
    void outage.loop.start(ac2.signal);
    await outage.clock.advance(29_000);
    expect(outage.availability).toEqual([[0, true]]);
    await outage.clock.advance(5_000);
    ac2.abort();
    // failing since t=1 s: the verdict falls at 31 s, not later with the backoff
    expect(outage.availability).toEqual([
      [0, true],
      [31_000, false],
    ]);
  });

  it('refused credentials mark the route down at once', async () => {
    const { clock, loop, availability } = setup(['ok', 'auth']);
    const ac = new AbortController();
    void loop.start(ac.signal);
    await clock.advance(61_000);
    ac.abort();
    expect(availability).toEqual([
      [0, true],
      [60_000, false],
    ]);
  });

  it('returns to the normal interval after a success and says so once', async () => {
    const { clock, loop, log, availability, gaps } = setup(['fail', 'fail', 'ok']);
    const ac = new AbortController();
    void loop.start(ac.signal);
    await clock.advance(10 * 60_000);
    ac.abort();
    expect(gaps().slice(0, 2)).toEqual([45_000, 90_000]);
    expect(
      gaps()
        .slice(2)
        .every((g) => g === 60_000),
    ).toBe(true);
    expect(log.matching(/works again/)).toHaveLength(1);
    // never seen working: down at once, then up
    expect(availability).toEqual([
      [0, false],
      [135_000, true],
    ]);
  });

  it('refreshSoon runs the next refresh at once, and once more when asked during a refresh', async () => {
    const { clock, calls, loop } = setup(['ok']);
    const ac = new AbortController();
    void loop.start(ac.signal);
    await clock.advance(1000);
    loop.refreshSoon();
    await clock.advance(1000);
    expect(calls).toHaveLength(2);
    ac.abort();

    const clock2 = new ManualClock();
    let runs = 0;
    const loop2: PollLoop = new PollLoop({
      what: 'polling',
      intervalMs: 60_000,
      clock: clock2,
      log: new CapturedLog(),
      refresh: async () => {
        runs++;
        if (runs === 2) loop2.refreshSoon();
      },
    });
    const ac2 = new AbortController();
    void loop2.start(ac2.signal);
    await clock2.advance(1000);
    loop2.refreshSoon();
    await clock2.advance(1000);
    ac2.abort();
    // run 1 at start, run 2 by refreshSoon, run 3 because refreshSoon came while run 2 was running
    expect(runs).toBe(3);
  });

  it('stops on abort without logging an error', async () => {
    const { clock, loop, log } = setup(['ok']);
    const ac = new AbortController();
    const done = loop.start(ac.signal);
    await clock.advance(1000);
    ac.abort();
    await done;
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('PollLoop with a failing secondary route', () => {
  it('backs off, but never past two intervals, so the route is seen healing within two cycles', async () => {
    const clock = new ManualClock();
    const calls: number[] = [];
    let failing = true;
    const loop = new PollLoop({
      what: 'polling',
      intervalMs: 5000,
      clock,
      log: new CapturedLog(),
      refresh: async () => {
        calls.push(clock.now());
        if (failing) throw new DegradedError('a status route failed');
      },
    });
    const ac = new AbortController();
    void loop.start(ac.signal);
    await clock.advance(10 * 60_000);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    expect(Math.max(...gaps)).toBe(10_000);
    expect(gaps[0]).toBeLessThan(5000);
    expect(loop.available).toBe(true);
    failing = false;
    const healedAt = clock.now();
    await clock.advance(30_000);
    const after = calls.filter((t) => t > healedAt);
    expect(after[0] - healedAt).toBeLessThanOrEqual(10_000);
    // back to the normal interval
    expect(after[2] - after[1]).toBe(5000);
    ac.abort();
  });
});
