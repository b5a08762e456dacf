import { startInTurns, TimeSlicer } from '../../../src/core/slices';
import { ManualClock } from '../../helpers/manualClock';

const busyFor = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('TimeSlicer', () => {
  it('lets the event loop run once a slice has used its budget, and not before', async () => {
    const slicer = new TimeSlicer(20);
    let ran = false;
    setImmediate(() => (ran = true));
    expect(slicer.turn()).toBeUndefined();
    busyFor(25);
    const turn = slicer.turn();
    expect(turn).toBeInstanceOf(Promise);
    expect(ran).toBe(false);
    await turn;
    expect(ran).toBe(true);
    expect(slicer.turn()).toBeUndefined();
  });
});

describe('startInTurns', () => {
  it('runs at most `max` tasks at once, in order, and resolves when all have settled', async () => {
    const clock = new ManualClock();
    const finish = new Map<number, () => void>();
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const all = startInTurns(
      [1, 2, 3, 4, 5],
      (n) =>
        new Promise<void>((resolve, reject) => {
          started.push(n);
          most = Math.max(most, ++running);
          finish.set(n, () => {
            running--;
            if (n === 2) reject(new Error('its own failure'));
            else resolve();
          });
        }),
      { max: 2, releaseMs: 60_000, clock },
    );
    await clock.settle();
    expect(started).toEqual([1, 2]);
    finish.get(2)?.();
    await clock.settle();
    expect(started).toEqual([1, 2, 3]);
    for (const n of [1, 3, 4, 5]) {
      await clock.settle();
      finish.get(n)?.();
    }
    await expect(all).resolves.toBeUndefined();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('lets the next task start when one is still running after releaseMs; the slow one goes on', async () => {
    const clock = new ManualClock();
    const started: string[] = [];
    let slowDone = false;
    const all = startInTurns(
      ['slow', 'next'],
      (name) => {
        started.push(name);
        return name === 'slow' ? clock.sleep(10_000).then(() => void (slowDone = true)) : Promise.resolve();
      },
      { max: 1, releaseMs: 2_000, clock },
    );
    await clock.advance(1_999);
    expect(started).toEqual(['slow']);
    await clock.advance(1);
    expect(started).toEqual(['slow', 'next']);
    await clock.advance(8_000);
    await all;
    expect(slowDone).toBe(true);
  });
});
