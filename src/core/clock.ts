import { AbortedError } from './errors';

/** Time source for every loop and backoff, so tests can run minutes of schedule in milliseconds. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, rejects with AbortedError when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new AbortedError('aborted'));
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AbortedError('aborted'));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};
