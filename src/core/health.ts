import type { Clock } from './clock';
import { AuthError } from './errors';

/** Failures must last this many attempts and this long before what a route feeds shows No Response. */
export const UNAVAILABLE_AFTER_FAILURES = 2;
export const UNAVAILABLE_AFTER_MS = 30_000;

/**
 * Whether one route (an account's main loop, or one of its status routes) is reachable, from evidence and with
 * hysteresis: one lost packet must not flash the whole house No Response. A route is down after failures that
 * lasted at least 2 attempts and 30 s; a refused credential is definitive at once. One success brings it back.
 */
export class RouteHealth {
  private failures = 0;
  private failingSince?: number;
  private state: boolean | undefined;
  private timer?: AbortController;

  constructor(
    private readonly clock: Clock,
    private readonly onChange: (available: boolean) => void,
    /** Stops the pending verdict at shutdown. */
    private readonly signal: () => AbortSignal = () => new AbortController().signal,
  ) {}

  /** undefined until the first attempt settled. */
  get available(): boolean | undefined {
    return this.state;
  }

  /** When the current failure streak will have lasted long enough to count (undefined when not failing). */
  get verdictAt(): number | undefined {
    return this.failingSince === undefined || this.state === false ? undefined : this.failingSince + UNAVAILABLE_AFTER_MS;
  }

  success(): void {
    this.failures = 0;
    this.failingSince = undefined;
    this.timer?.abort();
    this.timer = undefined;
    this.set(true);
  }

  failure(err?: unknown): void {
    this.failures++;
    if (this.failingSince === undefined) {
      this.failingSince = this.clock.now();
      this.armVerdict();
    }
    const lasted = this.clock.now() - this.failingSince >= UNAVAILABLE_AFTER_MS;
    // A route never seen working starts as down: nothing it feeds has a value to show.
    if (err instanceof AuthError || this.state === undefined || (this.failures >= UNAVAILABLE_AFTER_FAILURES && lasted)) this.set(false);
  }

  /** The 30 s mark falls between attempts when the loop backs off: the verdict is taken then, on the failures so far. */
  private armVerdict(): void {
    const timer = new AbortController();
    this.timer = timer;
    this.clock
      .sleep(UNAVAILABLE_AFTER_MS, AbortSignal.any([timer.signal, this.signal()]))
      .then(() => {
        if (this.timer === timer && this.failures >= UNAVAILABLE_AFTER_FAILURES) this.set(false);
      })
      .catch(() => undefined);
  }

  private set(value: boolean): void {
    if (this.state === value) return;
    this.state = value;
    this.onChange(value);
  }
}
