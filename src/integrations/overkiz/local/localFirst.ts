import { AuthError, ConfigError, describeError, HubError, TransientError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import type { OverkizApi, OverkizClient } from '../client';
import { ListenerLostError } from '../errors';

/** While on the cloud, the gateway is tried again this often. */
export const LOCAL_RETRY_MS = 5 * 60_000;

export interface LocalFirstOptions {
  cloud: OverkizClient;
  /** The gateway's local API with a token (a new client for each token). */
  localWith(token: string): OverkizClient;
  /** The gateway's PIN (the cloud setup's gateway when not configured). */
  pin: () => Promise<string>;
  /** The stored local token (owner-only file), and where a new one is kept. */
  tokens: { load(): string | undefined; save(token: string | undefined): void };
  log: Logger;
  now: () => number;
}

/**
 * The gateway's local API first (LAN, no quota, no cloud), the cloud account behind it: the local token is made
 * through the cloud (and made again when the gateway refuses it, with one log line); when the gateway does not
 * answer, the same calls go to the cloud until it answers again (tried every 5 minutes). Device URLs are the same on
 * both, so the accessories are the same either way. A switch drops the event listener (each server has its own):
 * the next cycle registers one on the other side and reads the states again.
 */
export class LocalFirstClient implements OverkizApi {
  private local?: OverkizClient;
  private onCloudSince?: number;
  /** The gateway's outage was logged (once per outage). */
  private down = false;

  constructor(private readonly o: LocalFirstOptions) {}

  /** The side calls go to now. */
  get side(): 'local' | 'cloud' {
    return this.onCloudSince === undefined ? 'local' : 'cloud';
  }

  private get active(): OverkizClient {
    return this.side === 'local' && this.local ? this.local : this.o.cloud;
  }

  get needsLogin(): boolean {
    return this.active.needsLogin;
  }

  get hasSession(): boolean {
    return this.side === 'local' ? this.local !== undefined : this.o.cloud.hasSession;
  }

  dropSession(): void {
    this.active.dropSession();
  }

  /** Local: a token refused (or none yet) gets a new one through the cloud; cloud: the brand's login. */
  async login(signal?: AbortSignal): Promise<void> {
    if (this.side === 'cloud') return this.o.cloud.login(signal);
    const stored = this.o.tokens.load();
    if (!this.local && stored) {
      await this.o.pin();
      this.local = this.o.localWith(stored);
      return;
    }
    if (this.local) this.o.log.warn('the gateway refused its local token: making a new one through the cloud account');
    this.local = undefined;
    this.o.tokens.save(undefined);
    if (!this.o.cloud.hasSession) await this.o.cloud.login(signal);
    const pin = await this.o.pin();
    const token = await this.o.cloud.createLocalToken(pin, signal);
    this.o.tokens.save(token);
    this.local = this.o.localWith(token);
    this.o.log.info(`local API token made for gateway ${pin}`);
  }

  private async call<T>(run: (c: OverkizApi) => Promise<T>): Promise<T> {
    if (this.side === 'cloud' && this.o.now() - (this.onCloudSince ?? 0) >= LOCAL_RETRY_MS && this.local) {
      this.onCloudSince = undefined;
      throw new ListenerLostError('trying the gateway again');
    }
    if (this.side === 'local' && !this.local) await this.login();
    try {
      const result = await run(this.active);
      if (this.side === 'local' && this.down) {
        this.down = false;
        this.o.log.info('the gateway answers again: using its local API');
      }
      return result;
    } catch (err) {
      if (this.side === 'local' && unreachable(err)) {
        this.onCloudSince = this.o.now();
        // One line per outage; the tries every 5 minutes while it lasts are debug lines.
        const line = `the gateway does not answer (${describeError(err)}): using the cloud until it does`;
        if (this.down) this.o.log.debug(line);
        else this.o.log.warn(line);
        this.down = true;
        throw new ListenerLostError('switched to the cloud');
      }
      throw err;
    }
  }

  setup: OverkizApi['setup'] = (signal) => this.call((c) => c.setup(signal));
  devices: OverkizApi['devices'] = (signal) => this.call((c) => c.devices(signal));
  states: OverkizApi['states'] = (url, signal) => this.call((c) => c.states(url, signal));
  register: OverkizApi['register'] = (signal) => this.call((c) => c.register(signal));
  fetch: OverkizApi['fetch'] = (id, signal) => this.call((c) => c.fetch(id, signal));
  apply: OverkizApi['apply'] = (actions, signal, high) => this.call((c) => c.apply(actions, signal, high));
  cancel: OverkizApi['cancel'] = (id, signal) => this.call((c) => c.cancel(id, signal));
  actionGroups: OverkizApi['actionGroups'] = (signal) => this.call((c) => c.actionGroups(signal));
  runActionGroup: OverkizApi['runActionGroup'] = (oid, signal) => this.call((c) => c.runActionGroup(oid, signal));
}

/** The gateway is down, unreachable or not trusted: the cloud can still do the job. A refused token is not this. */
function unreachable(err: unknown): boolean {
  if (!(err instanceof HubError) || err instanceof AuthError || err instanceof ListenerLostError) return false;
  return err instanceof TransientError || err instanceof ConfigError;
}
