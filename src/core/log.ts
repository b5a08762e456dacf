import type { Redactor } from './redact';

/** The subset of Homebridge's Logging that the plugin uses; plain objects satisfy it in tests. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** A logger that prefixes every line and passes it through the account's redactor. */
export function scopedLogger(base: Logger, prefix: string, redactor?: Redactor): Logger {
  const fmt = (m: string) => (redactor ? redactor.redact(`${prefix} ${m}`) : `${prefix} ${m}`);
  return {
    info: (m) => base.info(fmt(m)),
    warn: (m) => base.warn(fmt(m)),
    error: (m) => base.error(fmt(m)),
    debug: (m) => base.debug(fmt(m)),
  };
}

/** Logs a repeated condition once, and again only when its text changes or after it was cleared. */
export class OnceLogger {
  private last?: string;

  constructor(private readonly log: Logger) {}

  warn(message: string): void {
    if (message === this.last) return;
    this.last = message;
    this.log.warn(message);
  }

  error(message: string): void {
    if (message === this.last) return;
    this.last = message;
    this.log.error(message);
  }

  /** Returns true when something had been reported, so the caller can log the recovery once. */
  clear(): boolean {
    const had = this.last !== undefined;
    this.last = undefined;
    return had;
  }
}
