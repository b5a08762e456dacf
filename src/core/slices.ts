import type { Clock } from './clock';

/**
 * Long synchronous work (thousands of accounts at start-up) cut into slices of at most `budgetMs`, with a turn of the
 * event loop between two slices: HAP requests, timers and other plugins keep running meanwhile.
 */
export class TimeSlicer {
  private sliceStart = performance.now();

  constructor(private readonly budgetMs = 20) {}

  /**
   * A promise to await when the current slice is used up; undefined otherwise, so that the caller goes on in the same
   * synchronous run (a small configuration binds its cached accessories before Homebridge serves any request).
   */
  turn(): Promise<void> | undefined {
    if (performance.now() - this.sliceStart < this.budgetMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.sliceStart = performance.now();
        resolve();
      }),
    );
  }
}

/**
 * Runs `task` on every item, at most `max` at once, in order. A task still running after `releaseMs` gives its place
 * to the next item and goes on by itself: one slow vendor delays the others' start by at most `releaseMs`. Resolves
 * when every task has settled (a task's rejection is its own business: it is ignored here).
 */
export async function startInTurns<T>(
  items: Iterable<T>,
  task: (item: T) => Promise<void>,
  opts: { max: number; releaseMs: number; clock: Clock },
): Promise<void> {
  const all: Array<Promise<void>> = [];
  const waiting: Array<() => void> = [];
  let running = 0;
  const slicer = new TimeSlicer();
  for (const item of items) {
    if (running >= opts.max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    const settled = new AbortController();
    const free = () => {
      if (settled.signal.aborted) return;
      settled.abort();
      running--;
      waiting.shift()?.();
    };
    const done = task(item).then(free, free);
    opts.clock.sleep(opts.releaseMs, settled.signal).then(free, () => undefined);
    all.push(done);
    const turn = slicer.turn();
    if (turn) await turn;
  }
  await Promise.all(all);
}
