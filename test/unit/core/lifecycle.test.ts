import { DeviceLifecycle } from '../../../src/core/lifecycle';
import { ManualClock } from '../../helpers/manualClock';

function lifecycle() {
  const clock = new ManualClock();
  const removed: string[] = [];
  let rediscoveries = 0;
  const lines: string[] = [];
  const lc = new DeviceLifecycle(clock, new AbortController().signal, {
    remove: (id) => removed.push(id),
    rediscover: () => rediscoveries++,
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(`WARN ${m}`) },
    describe: (id) => id,
    permanent: (id) => id === 'own',
  });
  return { clock, lc, removed, lines, rediscoveries: () => rediscoveries };
}

describe('DeviceLifecycle', () => {
  it('removes only after two successful discoveries at least 10 minutes apart; asks for the second one when the grace ends', async () => {
    const { clock, lc, removed, rediscoveries } = lifecycle();
    expect(lc.discovered(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    ['a', 'b', 'c'].forEach((id) => lc.track(id));
    lc.discovered(['a', 'b']);
    await clock.advance(9 * 60_000);
    lc.discovered(['a', 'b']);
    expect(removed).toEqual([]);
    expect(rediscoveries()).toBe(0);
    await clock.advance(60_000);
    expect(rediscoveries()).toBe(1);
    lc.discovered(['a', 'b']);
    expect(removed).toEqual(['c']);
    lc.discovered(['a', 'b']);
    expect(removed).toEqual(['c']);
    // a removed device comes back only as new
    expect(lc.discovered(['a', 'b', 'c'])).toEqual(['c']);
  });

  it('a device listed again within the grace is kept', async () => {
    const { clock, lc, removed, lines } = lifecycle();
    ['a', 'b', 'c'].forEach((id) => lc.track(id));
    lc.discovered(['a', 'b']);
    await clock.advance(5 * 60_000);
    lc.discovered(['a', 'b', 'c']);
    await clock.advance(20 * 60_000);
    lc.discovered(['a', 'b', 'c']);
    expect(removed).toEqual([]);
    expect(lines.filter((l) => /c: listed again, kept/.test(l))).toHaveLength(1);
  });

  it('an empty or sharply shrunken reply is suspect: re-read at once, removal only when confirmed over an hour', async () => {
    const { clock, lc, removed, lines, rediscoveries } = lifecycle();
    ['a', 'b', 'c', 'd'].forEach((id) => lc.track(id));
    lc.discovered([]);
    expect(rediscoveries()).toBe(1);
    expect(lines.filter((l) => l.startsWith('WARN'))).toHaveLength(1);
    await clock.advance(30 * 60_000);
    lc.discovered([]);
    expect(removed).toEqual([]);
    await clock.advance(31 * 60_000);
    lc.discovered([]);
    expect(removed.sort()).toEqual(['a', 'b', 'c', 'd']);

    const second = lifecycle();
    ['a', 'b', 'c', 'd'].forEach((id) => second.lc.track(id));
    second.lc.discovered(['a']);
    expect(second.rediscoveries()).toBe(1);
    await second.clock.advance(15 * 60_000);
    second.lc.discovered(['a']);
    expect(second.removed).toEqual([]);
    // the integration's own device, listed every time, does not hide an empty reply
    const fourth = lifecycle();
    ['a', 'b', 'own'].forEach((id) => fourth.lc.track(id));
    fourth.lc.discovered(['own']);
    expect(fourth.rediscoveries()).toBe(1);
    // one device of many: the ordinary 10-minute rule
    const third = lifecycle();
    ['a', 'b', 'c', 'd'].forEach((id) => third.lc.track(id));
    third.lc.discovered(['a', 'b', 'c']);
    expect(third.rediscoveries()).toBe(0);
  });
});
