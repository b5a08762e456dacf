import { AbortedError } from '../../src/core/errors';
import type { Clock } from '../../src/core/clock';

interface Sleeper {
  at: number;
  resolve: () => void;
}

/**
 * A clock that only moves when the test says so. `advance` wakes each sleeper in time order and gives the
 * real I/O it triggers (loopback HTTP) time to finish before moving on, so minutes of schedule run in
 * milliseconds while requests stay real.
 */
export class ManualClock implements Clock {
  private sleepers: Sleeper[] = [];
  t: number;

  constructor(start = Date.parse('2026-11-23T09:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  random(): number {
    return 0.5;
  }

  get pending(): number {
    return this.sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new AbortedError('aborted'));
      const sleeper: Sleeper = { at: this.t + Math.max(0, ms), resolve };
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(new AbortedError('aborted'));
        },
        { once: true },
      );
      this.sleepers.push(sleeper);
    });
  }

  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await this.settle(this.sleepers.length);
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      const before = this.sleepers.length;
      this.sleepers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await this.settle(before);
    }
    this.t = target;
  }

  /** Waits for real I/O: until the woken code sleeps again (count back to `expected`) or a short real pause. */
  async settle(expected: number, maxMs = 250): Promise<void> {
    const start = Date.now();
    await realPause(1);
    while (this.sleepers.length < expected && Date.now() - start < maxMs) await realPause(2);
    await realPause(2);
  }
}

export function realPause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
