import type { Clock } from './clock';
import { aspectOf } from './capabilityPatch';
import { AbortedError } from './errors';
import type { Command } from './model';

/** The merged writes of one device in one batch, in the order they were first asked. */
export interface DeviceWrites {
  deviceId: string;
  commands: Command[];
}

export interface WriteBatcherOptions {
  /** Writes within this window go out together; the window restarts with each write... */
  windowMs: number;
  /** ...up to this long after the first, so a slider dragged for a while still goes out. */
  maxWaitMs: number;
  clock: Clock;
  signal: () => AbortSignal;
  /** Sends one batch. Throwing fails every device of it; a returned map fails only the devices it names. */
  send(batch: DeviceWrites[]): Promise<Map<string, Error> | void>;
  /** The verdict for one device's writes of a batch. */
  settled(writes: DeviceWrites, error?: Error): void;
}

/**
 * Write semantics shared by every vendor whose writes can be batched (see ARCHITECTURE, "Fast feedback").
 * A HomeKit controller sends one request at a time per connection and waits for the answer, so the write handler
 * must not wait for the batch: `push` queues and returns at once, and the vendor's verdict comes back through
 * `settled` (the integration shows it as state). Writes to different aspects of one device merge into one entry
 * (position + tilt, mode + setpoint, on + brightness); for the same aspect the last value wins.
 */
export class WriteBatcher {
  private pending = new Map<string, Map<string, Command>>();
  private timer?: Promise<void>;
  private firstAt = 0;
  private deadline = 0;

  constructor(private readonly opts: WriteBatcherOptions) {}

  push(deviceId: string, command: Command): void {
    const byAspect = this.pending.get(deviceId) ?? new Map<string, Command>();
    // Map.set keeps the first position of an aspect: the order of a scene's writes is kept.
    byAspect.set(aspectOf(command), command);
    this.pending.set(deviceId, byAspect);
    const now = this.opts.clock.now();
    if (!this.timer) this.firstAt = now;
    this.deadline = Math.min(this.firstAt + this.opts.maxWaitMs, now + this.opts.windowMs);
    this.timer ??= this.waitThenFlush();
  }

  private async waitThenFlush(): Promise<void> {
    try {
      for (let wait = this.deadline - this.opts.clock.now(); wait > 0; wait = this.deadline - this.opts.clock.now()) {
        await this.opts.clock.sleep(wait, this.opts.signal());
      }
    } catch (err) {
      this.settleAll(this.take(), err instanceof Error ? err : new AbortedError(String(err)));
      return;
    }
    await this.flush();
  }

  private take(): DeviceWrites[] {
    const batch = [...this.pending].map(([deviceId, byAspect]) => ({ deviceId, commands: [...byAspect.values()] }));
    this.pending = new Map();
    this.timer = undefined;
    return batch;
  }

  private async flush(): Promise<void> {
    const batch = this.take();
    if (batch.length === 0) return;
    let failed: Map<string, Error> | void;
    try {
      failed = await this.opts.send(batch);
    } catch (err) {
      this.settleAll(batch, err instanceof Error ? err : new Error(String(err)));
      return;
    }
    for (const writes of batch) this.settle(writes, failed?.get(writes.deviceId));
  }

  private settleAll(batch: DeviceWrites[], error: Error): void {
    for (const writes of batch) this.settle(writes, error);
  }

  private settle(writes: DeviceWrites, error?: Error): void {
    try {
      this.opts.settled(writes, error);
    } catch {
      // The verdict's display must never break the other devices of the batch.
    }
  }
}
