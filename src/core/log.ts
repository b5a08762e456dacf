import type { Redactor } from './redact';

/** The subset of Homebridge's Logging that the plugin uses; plain objects satisfy it in tests. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** Control characters (newlines, escapes, bidi overrides) a vendor string could use to forge or hide a log line. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** One line, whatever a vendor put in the names and messages it holds. */
export const oneLine = (text: string) => text.replace(CONTROL, ' ');

/** A logger that prefixes every line, makes it one line, and passes it through the account's redactor. */
export function scopedLogger(base: Logger, prefix: string, redactor?: Redactor): Logger {
  const fmt = (m: string) => oneLine(redactor ? redactor.redact(`${prefix} ${m}`) : `${prefix} ${m}`);
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
