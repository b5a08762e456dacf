import type { Clock } from './clock';
import { AuthError, DegradedError, describeError, isAbort, ProtocolError, RateLimitError, TransientError } from './errors';
import { RouteHealth } from './health';
import { type Logger, OnceLogger } from './log';

function formatDelay(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** A failing account tries again at least this often. */
const MAX_BACKOFF_MS = 15 * 60_000;

export interface PollLoopOptions {
  /** Used in log lines: "refresh failed: ...". */
  what: string;
  /** The normal interval; a function lets it follow activity (Overkiz polls faster while its commands run). */
  intervalMs: number | (() => number);
  refresh: (signal: AbortSignal) => Promise<void>;
  /** Called when the route's availability flips (see RouteHealth: after 2 failures lasting 30 s, not on one blip). */
  onAvailability?: (available: boolean) => void;
  clock: Clock;
  log: Logger;
  /** After an AuthError, wait at least this long (vendors that lock out brute force). */
  authRetryMs?: number;
  /**
   * The delay after the n-th refused login in a row (a vendor schedule replacing the exponential backoff). With it,
   * every refused try is logged, with when the next one is.
   */
  authBackoff?: (refusedInARow: number, err: AuthError) => number;
}

/**
 * One refresh loop for one account, like Home Assistant's DataUpdateCoordinator: runs `refresh` every interval,
 * backs off exponentially (with jitter, capped) while it fails, returns to the normal interval on success,
 * and reports availability changes with hysteresis. Never throws out of its loop.
 */
export class PollLoop {
  private failures = 0;
  private runs = 0;
  private lastStart = 0;
  private lastFailureWasAuth = false;
  private authFailures = 0;
  private lastAuthError?: AuthError;
  private lastFailureWasDegraded = false;
  /** The last failure was of a kind that ends by itself (network, 5xx, bad reply, rate limit). */
  private lastFailureHeals = false;
  /** The vendor's Retry-After of the last failure, when it gave one. */
  private retryAfterMs?: number;
  private wake?: AbortController;
  private readonly failureLog: OnceLogger;
  private readonly health: RouteHealth;
  private running?: Promise<void>;
  private refreshing = false;
  private signal: AbortSignal = new AbortController().signal;
  private again = false;

  constructor(private readonly opts: PollLoopOptions) {
    this.failureLog = new OnceLogger(opts.log);
    this.health = new RouteHealth(
      opts.clock,
      (ok) => opts.onAvailability?.(ok),
      () => this.signal,
    );
  }

  /** undefined until the first refresh finished. */
  get available(): boolean | undefined {
    return this.health.available;
  }

  start(signal: AbortSignal): Promise<void> {
    this.running ??= this.loop(signal).catch((err) => {
      if (!isAbort(err)) this.opts.log.error(`${this.opts.what} loop stopped: ${describeError(err)}`);
    });
    return this.running;
  }

  /** Runs the next refresh now (after a write, to confirm it); asked during a refresh, one more follows it. */
  refreshSoon(): void {
    if (this.refreshing) this.again = true;
    this.wake?.abort();
  }

  /** Delay before the next attempt after `failures` consecutive failures. */
  backoffMs(failures: number): number {
    const cap = MAX_BACKOFF_MS;
    const ceiling = Math.min(cap, this.interval() * 2 ** Math.min(failures - 1, 20));
    // Equal jitter: between half and all of the ceiling, so a failing account never polls faster than intended.
    return Math.round(ceiling / 2 + (this.opts.clock.random() * ceiling) / 2);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    // A first refresh already awaited by the integration's start() is not repeated at once.
    if (this.runs > 0) await this.pause(this.nextDelay(), signal);
    while (!signal.aborted) {
      await this.runOnce(signal);
      await this.pause(this.nextDelay(), signal);
    }
  }

  /** Start-to-start: a refresh that took 5 s (staggered homes) does not push the schedule back by 5 s. */
  private nextDelay(): number {
    if (this.again) {
      this.again = false;
      return 0;
    }
    const now = this.opts.clock.now();
    if (this.failures > 0) {
      if (this.lastFailureWasAuth && this.opts.authBackoff && this.lastAuthError)
        return this.opts.authBackoff(this.authFailures, this.lastAuthError);
      let backoff = this.lastFailureWasAuth
        ? Math.max(this.opts.authRetryMs ?? 0, this.backoffMs(this.failures))
        : this.backoffMs(this.failures);
      // The main route works: a failing secondary route backs off, but not so far that its recovery is seen late.
      // An outage, a 5xx, a garbled reply heal by themselves: tried again within two cycles, so values flow again
      // within two cycles of the vendor's return (a 60 s outage no longer leaves the loop asleep for half a minute).
      // A refused login or a configuration problem keeps the long backoff; a Retry-After is honoured by the client.
      if (this.lastFailureWasDegraded || this.lastFailureHeals) backoff = Math.min(backoff, 2 * this.interval());
      if (this.retryAfterMs !== undefined) backoff = Math.max(backoff, this.retryAfterMs);
      // While the verdict is pending, one attempt falls at the 30 s mark: an outage that lasts shows then.
      const verdictAt = this.health.verdictAt;
      return verdictAt !== undefined && verdictAt > now ? Math.min(backoff, Math.max(1000, verdictAt - now)) : backoff;
    }
    return Math.max(1000, this.interval() - (now - this.lastStart));
  }

  private interval(): number {
    const i = this.opts.intervalMs;
    return typeof i === 'function' ? i() : i;
  }

  /** One refresh, with its bookkeeping; exposed so start-up can await the first result. */
  async runOnce(signal: AbortSignal): Promise<boolean> {
    this.signal = signal;
    this.runs++;
    this.lastStart = this.opts.clock.now();
    this.refreshing = true;
    try {
      await this.opts.refresh(signal);
      this.failures = 0;
      this.authFailures = 0;
      if (this.failureLog.clear()) this.opts.log.info(`${this.opts.what} works again`);
      this.health.success();
      return true;
    } catch (err) {
      if (signal.aborted || isAbort(err)) throw err;
      this.failures++;
      this.lastFailureWasDegraded = err instanceof DegradedError;
      if (err instanceof DegradedError) {
        this.lastFailureWasAuth = false;
        this.health.success();
        return false;
      }
      this.lastFailureWasAuth = err instanceof AuthError;
      this.lastFailureHeals = err instanceof TransientError || err instanceof ProtocolError || err instanceof RateLimitError;
      this.retryAfterMs = err instanceof RateLimitError ? err.retryAfterMs : undefined;
      if (err instanceof AuthError) {
        this.authFailures++;
        this.lastAuthError = err;
      } else this.authFailures = 0;
      this.health.failure(err);
      const next = Math.round(this.nextDelay() / 1000);
      const hint = err instanceof AuthError ? ' Check the credentials in the plugin settings.' : '';
      if (err instanceof AuthError && this.opts.authBackoff) {
        // A vendor schedule: every refused try is one line (its text changes with the count), with when the next is.
        this.failureLog.error(
          `${this.opts.what} failed: ${describeError(err)}.${hint} Refused ${this.authFailures} time(s) in a row; ` +
            `next try in ${formatDelay(next)}.`,
        );
        return false;
      }
      this.failureLog.error(
        `${this.opts.what} failed: ${describeError(err)}.${hint} Retrying with ` +
          `backoff; the accessories stay in Home (No Response if it lasts).`,
      );
      this.opts.log.debug(`${this.opts.what}: attempt ${this.failures} failed, next in about ${next} s`);
      return false;
    } finally {
      this.refreshing = false;
    }
  }

  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    if (ms <= 0) return;
    const wake = new AbortController();
    this.wake = wake;
    try {
      await this.opts.clock.sleep(ms, AbortSignal.any([signal, wake.signal]));
    } catch (err) {
      if (signal.aborted) throw err;
    } finally {
      if (this.wake === wake) this.wake = undefined;
    }
  }
}
