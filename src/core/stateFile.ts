import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { describeError } from './errors';
import type { Logger } from './log';

/**
 * One JSON file of plugin state under `<storage>/building-hub/`, owner-only (0600 in a 0700 dir), written atomically.
 * A missing, unreadable or invalid file reads as undefined: state is a help, never a reason not to start.
 */
export class StateFile<T> {
  readonly path: string;

  constructor(
    storagePath: string,
    name: string,
    private readonly schema: z.ZodType<T>,
    private readonly log: Logger,
  ) {
    this.path = join(storagePath, 'building-hub', name);
  }

  read(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      this.log.warn(`${this.path} is not valid (${parsed.error.issues[0]?.message ?? 'invalid'}); starting without it`);
    } catch (err) {
      this.log.warn(`${this.path} could not be read (${describeError(err)}); starting without it`);
    }
    return undefined;
  }

  write(value: T): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, this.path);
    } catch (err) {
      this.log.warn(`${this.path} could not be written: ${describeError(err)}`);
    }
  }
}
