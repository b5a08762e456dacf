import type { Logger } from '../../core/log';
import type { OverkizApi, OverkizEvent } from './client';

/**
 * One account's session and event listener: a single login in flight at a time (a second caller waits for the
 * first), a listener registered once per session, dropped when the server says it is gone.
 */
export class OverkizSession {
  private listenerId?: string;
  private loggingIn?: Promise<void>;

  constructor(
    private readonly client: OverkizApi,
    private readonly log: Logger,
    /** Called after each successful login (a new session may see a changed setup). */
    private readonly onLogin: () => void,
  ) {}

  get loggedIn(): boolean {
    return this.client.hasSession;
  }

  get listening(): boolean {
    return this.listenerId !== undefined;
  }

  login(signal: AbortSignal): Promise<void> {
    this.loggingIn ??= (async () => {
      try {
        this.client.dropSession();
        this.listenerId = undefined;
        await this.client.login(signal);
        this.onLogin();
        this.log.debug('logged in');
      } finally {
        this.loggingIn = undefined;
      }
    })();
    return this.loggingIn;
  }

  /** Registers a listener; true when a new one was made (changes in the gap reached none: read the states). */
  async listen(signal: AbortSignal): Promise<boolean> {
    if (this.listenerId) return false;
    this.listenerId = await this.client.register(signal);
    return true;
  }

  /** The server dropped the listener: the next `listen` registers a new one. */
  listenerLost(): void {
    this.listenerId = undefined;
  }

  /** The events since the last fetch (none without a listener). */
  async fetch(signal: AbortSignal): Promise<OverkizEvent[]> {
    return this.listenerId ? this.client.fetch(this.listenerId, signal) : [];
  }
}
