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
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(new AbortedError('aborted'));
      };
      const sleeper: Sleeper = {
        at: this.t + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Something outside the clock still working (e.g. a simulator with requests in flight). */
  busy: () => boolean = () => false;

  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await this.settle();
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await this.settle();
    }
    this.t = target;
  }

  /** Waits for real I/O to finish: until nothing changed among the sleepers and nothing was busy for `quietMs`. */
  async settle(quietMs = 20, maxMs = 3000): Promise<void> {
    const start = Date.now();
    let last = this.signature();
    let quietSince = Date.now();
    while (Date.now() - start < maxMs) {
      await realPause(2);
      const now = this.signature();
      if (now !== last || this.busy()) {
        last = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) return;
    }
  }

  private signature(): string {
    return this.sleepers.map((s) => s.at).join(',');
  }
}

export function realPause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
