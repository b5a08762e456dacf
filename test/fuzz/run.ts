import { HubError } from '../../src/core/errors';
import { CASES, mutate, rng, SEED } from './mutate';

export interface FuzzFinding {
  seed: number;
  problem: string;
}

/**
 * Runs `CASES` mutations of `samples` through `check`: a finding is an exception that is not one of the plugin's
 * typed errors, a problem `check` reports, or a case over 50 ms. Each finding carries the seed that replays it.
 */
export function fuzz(vendor: string, samples: readonly unknown[], check: (payload: unknown) => string[], focus?: RegExp): FuzzFinding[] {
  const findings: FuzzFinding[] = [];
  for (let i = 0; i < CASES && findings.length < 20; i++) {
    const seed = SEED + i;
    const random = rng(seed);
    const payload = mutate(samples[Math.floor(random() * samples.length)], random, focus);
    const t0 = performance.now();
    try {
      for (const problem of check(payload)) findings.push({ seed, problem: `${vendor}: ${problem}` });
    } catch (err) {
      if (!(err instanceof HubError))
        findings.push({
          seed,
          problem: `${vendor}: ${err instanceof Error ? err.stack?.split('\n').slice(0, 3).join(' | ') : String(err)}`,
        });
    }
    const ms = performance.now() - t0;
    // A slow case is slow every time; a garbage-collection pause or a busy machine (e2e suites run beside) is not:
    // a case over 50 ms is timed twice more, and reported only when it stays over.
    if (ms > 50 && slowEveryTime(() => check(payload))) findings.push({ seed, problem: `${vendor}: ${ms.toFixed(0)} ms for one case` });
  }
  return findings;
}

function slowEveryTime(run: () => unknown): boolean {
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    try {
      run();
    } catch {
      // the first run already reported what it threw
    }
    if (performance.now() - t0 <= 50) return false;
  }
  return true;
}
