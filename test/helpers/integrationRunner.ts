import type { ManualClock } from './manualClock';

interface Startable {
  http: { inFlight: number };
  start(signal: AbortSignal): Promise<void>;
}

/**
 * Runs one integration at a time on a manual clock against a simulator; `start()` again is a Homebridge restart: the
 * previous one is stopped and a new one starts (same storage dir, same service). `settleMs` of fake time run while
 * it starts (a first poll that staggers its homes, for example).
 */
export class IntegrationRunner<I extends Startable> {
  private current?: I;
  private abort = new AbortController();

  constructor(
    private readonly make: () => I,
    private readonly clock: ManualClock,
    private readonly sim: { server: { inFlight: number }; stop(): Promise<void> },
    private readonly settleMs = 0,
  ) {}

  get integration(): I {
    if (!this.current) throw new Error('not started');
    return this.current;
  }

  async start(before?: (integration: I) => void): Promise<I> {
    this.abort.abort();
    this.abort = new AbortController();
    const next = this.make();
    before?.(next);
    this.clock.busy = () => this.sim.server.inFlight > 0 || next.http.inFlight > 0;
    const running = next.start(this.abort.signal);
    if (this.settleMs > 0) await this.clock.advance(this.settleMs);
    await running;
    this.current = next;
    return next;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.sim.stop();
  }
}
