import type { Logger } from '../../src/core/log';

/** A logger that keeps every line, for assertions and for "no secret anywhere" checks. */
export class CapturedLog implements Logger {
  readonly lines: Array<{ level: string; message: string }> = [];
  info = (m: string) => this.push('info', m);
  warn = (m: string) => this.push('warn', m);
  error = (m: string) => this.push('error', m);
  debug = (m: string) => this.push('debug', m);
  success = (m: string) => this.push('info', m);
  log = (level: string, m: string) => this.push(level, m);

  private push(level: string, message: string): void {
    this.lines.push({ level, message });
  }

  text(): string {
    return this.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  }

  matching(re: RegExp, level?: string): string[] {
    return this.lines.filter((l) => (!level || l.level === level) && re.test(l.message)).map((l) => l.message);
  }
}
