import type { Clock } from '../../core/clock';
import type { OverkizCommand } from './schemas';

interface Pending {
  commands: OverkizCommand[];
  waiters: Array<{ resolve: () => void; reject: (err: Error) => void }>;
}

/**
 * Merges every command issued within `windowMs` into one /exec/apply with one action per device; for the same
 * device the last command wins (dragging a slider sends one command). The window restarts with each new command,
 * up to `maxWaitMs` after the first, so a slider dragged for a second still ends in one or two executions.
 * Everyone waiting on a merged command learns the outcome of the single execution.
 */
export class CommandQueue {
  private pending = new Map<string, Pending>();
  private timer?: Promise<void>;
  private firstAt = 0;
  private deadline = 0;

  constructor(
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly send: (actions: Array<{ deviceURL: string; commands: OverkizCommand[] }>) => Promise<void>,
    private readonly signal: () => AbortSignal,
    private readonly maxWaitMs = 1000,
  ) {}

  push(deviceURL: string, commands: OverkizCommand[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry = this.pending.get(deviceURL);
      if (entry) {
        entry.commands = commands;
        entry.waiters.push({ resolve, reject });
      } else this.pending.set(deviceURL, { commands, waiters: [{ resolve, reject }] });
      const now = this.clock.now();
      if (!this.timer) this.firstAt = now;
      this.deadline = Math.min(this.firstAt + this.maxWaitMs, now + this.windowMs);
      this.timer ??= this.waitThenFlush().catch((err) => this.fail(err));
    });
  }

  private async waitThenFlush(): Promise<void> {
    for (let wait = this.deadline - this.clock.now(); wait > 0; wait = this.deadline - this.clock.now()) await this.clock.sleep(wait, this.signal());
    await this.flush();
  }

  private take(): Map<string, Pending> {
    const batch = this.pending;
    this.pending = new Map();
    this.timer = undefined;
    return batch;
  }

  private fail(err: unknown): void {
    for (const p of this.take().values()) for (const w of p.waiters) w.reject(err instanceof Error ? err : new Error(String(err)));
  }

  private async flush(): Promise<void> {
    const batch = this.take();
    if (batch.size === 0) return;
    try {
      await this.send([...batch].map(([deviceURL, p]) => ({ deviceURL, commands: p.commands })));
      for (const p of batch.values()) for (const w of p.waiters) w.resolve();
    } catch (err) {
      for (const p of batch.values()) for (const w of p.waiters) w.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
