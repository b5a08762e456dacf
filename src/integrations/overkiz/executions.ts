import type { Logger } from '../../core/log';
import { describeError } from '../../core/errors';
import type { OverkizApi } from './client';
import type { ExecutionEvent } from './events';
import type { OverkizCommand } from './schemas';

export type Action = { deviceURL: string; commands: OverkizCommand[] };

/** How an execution ended. */
export interface ExecutionEnd {
  /** The devices it was still the latest execution of: their asked targets are done with. */
  settled: string[];
  completed: boolean;
  /** Every device of a FAILED (not cancelled) execution, with the capabilities it wrote and the reason. */
  failed: Array<{ deviceURL: string; capabilities: string[]; reason: string }>;
}

/**
 * The executions in flight: which devices each one drives, the latest one of each device (a new target cancels
 * the one still running), and the capabilities it writes (they fault if it fails).
 */
export class Executions {
  private readonly devicesOf = new Map<string, string[]>();
  private readonly latest = new Map<string, string>();
  private readonly capabilities = new Map<string, string[]>();
  /** When one of our executions was last sent or last ended. */
  lastActivityAt = -Infinity;

  constructor(
    private readonly client: OverkizApi,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** True while one of ours runs. */
  get running(): boolean {
    return this.devicesOf.size > 0;
  }

  async apply(actions: Action[], signal: AbortSignal, highPriority = false): Promise<void> {
    if (actions.length === 0) return;
    const running = new Set(actions.map((a) => this.latest.get(a.deviceURL)).filter((x): x is string => x !== undefined));
    for (const execId of running) {
      await this.client.cancel(execId, signal).catch((err) => this.log.debug(`cancel ${execId}: ${describeError(err)}`));
    }
    this.lastActivityAt = this.now();
    const execId = await this.client.apply(actions, signal, highPriority);
    this.devicesOf.set(
      execId,
      actions.map((a) => a.deviceURL),
    );
    for (const a of actions) this.latest.set(a.deviceURL, execId);
  }

  /** The capabilities a device's running execution writes. */
  writes(deviceURL: string, capabilityIds: string[]): void {
    this.capabilities.set(deviceURL, capabilityIds);
  }

  /** An ExecutionStateChangedEvent; undefined while the execution runs. A cancelled execution is no failure. */
  ended(e: ExecutionEvent): ExecutionEnd | undefined {
    if (e.newState !== 'COMPLETED' && e.newState !== 'FAILED') return undefined;
    if (this.devicesOf.has(e.execId)) this.lastActivityAt = this.now();
    const urls = this.devicesOf.get(e.execId) ?? [];
    this.devicesOf.delete(e.execId);
    const mine = urls.filter((url) => this.latest.get(url) === e.execId);
    for (const url of mine) this.latest.delete(url);
    if (e.newState === 'COMPLETED') {
      for (const url of mine) this.capabilities.delete(url);
      return { settled: mine, completed: true, failed: [] };
    }
    if (e.failureType === 'CMDCANCELLED') return { settled: mine, completed: false, failed: [] };
    const reasons = new Map((e.failedCommands ?? []).flatMap((f) => (f.deviceURL ? [[f.deviceURL, f.failureType ?? '']] : [])));
    const failed = urls.map((url) => ({
      deviceURL: url,
      capabilities: this.capabilities.get(url) ?? [],
      reason: reasons.get(url) || e.failureType || 'unknown failure',
    }));
    return { settled: mine, completed: false, failed };
  }
}
