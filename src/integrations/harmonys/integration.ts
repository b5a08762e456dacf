import { withFault } from '../../core/capabilityPatch';
import { droppedFrom } from '../../core/lenient';
import { AuthError, DegradedError, describeError, isAbort, RejectedError, TimeoutError } from '../../core/errors';
import type { RouteHealth } from '../../core/health';
import { OnceLogger } from '../../core/log';
import type { Command, Device } from '../../core/model';
import type { PollLoop } from '../../core/pollLoop';
import { BaseIntegration } from '../base';
import type { IntegrationContext } from '../integration';
import { HarmonysClient } from './client';
import {
  alertsBySite,
  buttonDevice,
  buttonDeviceId,
  DISTRICT_ID,
  districtDevice,
  expiryOf,
  isPpms,
  SERVER_ID,
  serverDevice,
  disconnectedBySite,
  expiryWarning,
  type SiteAlert,
  siteDevice,
  type SiteLink,
  siteName,
  summarisePress,
  type PressSummary,
} from './devices';
import type { Button, InAlert, Site } from './schemas';
import type { HarmonysAccount } from './account';
import type { Discovery } from '../discovery';
import { discoverButtons } from './discover';

const HOUR = 3_600_000;
/** A second switch-on of the same button within this window is a double tap or a duplicated automation. */
export const PRESS_GUARD_MS = 10_000;
/** After a refused key, wait at least this long: the server locks out brute force. */
const AUTH_RETRY_MS = 30 * 60_000;
const IN_ALERT_ROUTE = 'inAlert';
const LINKS_ROUTE = 'disconnected';
const STATUS_WHAT = { inAlert: 'the sites in alert', links: 'the disconnected sites' } as const;

export class HarmonysIntegration extends BaseIntegration {
  private readonly client: HarmonysClient;
  private readonly coordinator: PollLoop;
  /** The status routes feed the site sensors only: a failure there never blocks a button. */
  private readonly status: Record<'inAlert' | 'links', { health: RouteHealth; log: OnceLogger }>;
  private sites = new Map<string, Site>();
  private buttons = new Map<string, Button>();
  private catalogueAt = -Infinity;
  private healthAt = -Infinity;
  private alerts = new Map<string, SiteAlert>();
  private links = new Map<string, SiteLink>();
  private readonly lastPress = new Map<string, number>();
  private readonly pressFault = new Set<string>();
  /** Buttons as the server last listed them, kept when a catalogue read stops listing one. */
  private readonly seenButtons = new Map<string, Button>();
  private readonly missingReportedAt = new Map<string, number>();
  /** Buttons an alert in progress showed to be PPMS ones. */
  private readonly ppmsButtons = new Set<string>();
  /** The licence and certificate state, from the daily check. */
  private expiry?: { expired: boolean; expiring: boolean };
  private keyRefused = false;

  constructor(
    private readonly account: HarmonysAccount,
    ctx: IntegrationContext,
  ) {
    super(ctx, {
      key: `harmonys:${account.label ?? new URL(account.baseUrl).host}`,
      vendor: 'Harmonys',
      label: account.label ?? 'Multisite',
      secrets: [account.apiKey],
      http: {
        baseUrl: account.baseUrl,
        headers: { 'x-api-key': account.apiKey },
        caCertificate: account.caCertificate,
        certificateFingerprint: account.certificateFingerprint,
        // The server answers 429 to a request identical to one in flight: one call per route at a time.
        perRouteConcurrent: 1,
        retries: 2,
      },
    });
    this.client = new HarmonysClient(this.http);
    const unlisted = account.matterButtons.filter((uuid) => !account.buttons.some((b) => b.buttonUuid === uuid));
    if (unlisted.length)
      this.log.warn(`matterButtons names ${unlisted.join(', ')}, not listed under buttons: a button must be listed there to appear at all`);
    this.coordinator = this.poller({
      what: 'reading the alert state',
      intervalMs: account.pollIntervalSeconds * 1000,
      refresh: (signal) => this.refresh(signal),
      authRetryMs: AUTH_RETRY_MS,
    });
    this.status = {
      inAlert: { health: this.routeHealth(IN_ALERT_ROUTE), log: new OnceLogger(this.log) },
      links: { health: this.routeHealth(LINKS_ROUTE), log: new OnceLogger(this.log) },
    };
    for (const id of [DISTRICT_ID, SERVER_ID]) this.permanentIds.add(id);
  }

  /** Site sensors read the status routes; buttons depend on the catalogue and the press route only. */
  protected override routesOf(device: Device): readonly string[] {
    if (device.id === DISTRICT_ID) return [IN_ALERT_ROUTE];
    return device.id.startsWith('site:') ? [IN_ALERT_ROUTE, LINKS_ROUTE] : [];
  }

  /** Reads the site and button catalogue again at the next poll (a removal grace ended, a suspect reply). */
  override rediscover(): void {
    this.catalogueAt = -Infinity;
    this.coordinator.refreshSoon();
  }

  /** The settings page's picker. */
  discover(signal: AbortSignal): Promise<Discovery> {
    return discoverButtons(this.client, this.account, signal);
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.account.baseUrl.startsWith('https://') && !this.account.caCertificate && !this.account.certificateFingerprint) {
      this.log.debug('no caCertificate or certificateFingerprint: the server certificate must be signed by a public CA');
    }
    await this.startLoops(signal, this.coordinator);
  }

  async execute(deviceId: string, command: Command): Promise<void> {
    const config = this.account.buttons.find((b) => buttonDeviceId(b.buttonUuid) === deviceId);
    if (!config || command.type !== 'setOn') throw new RejectedError('only listed alert buttons can be switched');
    if (!command.on) return; // momentary: off is its resting state
    await this.press(config);
  }

  // ---- polling ----

  private async refresh(signal: AbortSignal): Promise<void> {
    let fresh: boolean;
    let complete: boolean;
    try {
      fresh = await this.readCatalogue(signal);
      // One after the other: a refused key then costs one request, not two (the server locks out brute force).
      const inAlert = await this.readStatus('inAlert', () => this.client.inAlert(signal));
      // A server that fails one status route likely fails the next: one failed request per cycle, then backoff.
      const disconnected = inAlert ? await this.readStatus('links', () => this.client.disconnected(signal)) : undefined;
      this.keyRefused = false;
      if (inAlert) this.learnAlerts(inAlert);
      if (disconnected) this.applyLinks(disconnectedBySite(disconnected));
      complete = inAlert !== undefined && disconnected !== undefined;
    } catch (err) {
      if (err instanceof AuthError) this.keyRefused = true;
      throw err;
    }
    // Only a catalogue just read is a discovery; the polls in between update what is known.
    if (fresh) this.discovered(this.buildDevices());
    else this.store.upsert(this.buildDevices());
    void this.checkHealth(signal);
    if (!complete) throw new DegradedError('a status route failed');
  }

  /** A status route that fails marks the site sensors (with hysteresis) and lets the poll go on. */
  private async readStatus<T>(route: keyof HarmonysIntegration['status'], read: () => Promise<T>): Promise<T | undefined> {
    const { health, log } = this.status[route];
    try {
      const value = await read();
      if (log.clear()) this.log.info(`${STATUS_WHAT[route]} can be read again`);
      health.success();
      return value;
    } catch (err) {
      if (err instanceof AuthError || isAbort(err)) throw err;
      log.warn(`reading ${STATUS_WHAT[route]} failed: ${describeError(err)}; the site sensors show it, the alert buttons stay pressable`);
      health.failure(err);
      return undefined;
    }
  }

  /** Reads the catalogue when due; true when it was read now. */
  private async readCatalogue(signal: AbortSignal): Promise<boolean> {
    if (this.ctx.clock.now() - this.catalogueAt < HOUR) return false;
    const sites = await this.client.sites(signal);
    const buttons = await this.client.buttons(signal);
    this.noteDropped('/sites/all', sites);
    this.noteDropped('/buttons/all', buttons);
    this.sites = new Map(sites.map((s) => [s.uuid, s]));
    this.buttons = new Map(buttons.filter((b) => b.uuid).map((b) => [b.uuid as string, b]));
    this.catalogueAt = this.ctx.clock.now();
    for (const b of this.account.buttons) {
      if (!this.buttons.has(b.buttonUuid) && !this.seenButtons.has(b.buttonUuid) && !this.store.has(buttonDeviceId(b.buttonUuid)))
        this.once(`missing-button:${b.buttonUuid}`, () =>
          this.log.error(`button ${b.buttonUuid} is not on the server; it is not shown in Home. Check its uuid in the settings.`),
        );
      for (const s of b.siteUuids ?? []) {
        if (!this.sites.has(s))
          this.once(`missing-site:${s}`, () => this.log.warn(`site ${s} listed for button ${b.name ?? b.buttonUuid} is not on the server`));
      }
    }
    return true;
  }

  private buildDevices(): Device[] {
    const kinds = this.account.alertKinds;
    const sites = [...this.sites.values()].map((s) => siteDevice(s, this.alerts.get(s.uuid), this.links.get(s.uuid), kinds));
    const label = this.account.label ?? 'Multisite';
    const status = [districtDevice(label, this.alerts, kinds), serverDevice(label, this.expiry)];
    const buttons = this.account.buttons.flatMap((b) => {
      const listed = this.buttons.get(b.buttonUuid);
      if (listed) this.seenButtons.set(b.buttonUuid, listed);
      const known = listed ?? this.seenButtons.get(b.buttonUuid);
      // A button the server stopped listing stays in Home (with its automations) and shows a fault.
      if (!known && !this.store.has(buttonDeviceId(b.buttonUuid))) return [];
      if (!listed) this.reportMissingButton(b.buttonUuid, this.store.get(buttonDeviceId(b.buttonUuid))?.name);
      // A target site that is disconnected may not hear the alert: a fault, and the button stays pressable.
      const targets = b.siteUuids ?? [...this.sites.keys()];
      const unreachable = targets.some((site) => this.links.has(site));
      const fault = !listed || unreachable || this.pressFault.has(b.buttonUuid);
      const device = buttonDevice(b, known, fault, isPpms(known) || this.ppmsButtons.has(b.buttonUuid));
      return [{ ...device, matterHidden: !this.account.matterButtons.includes(b.buttonUuid) }];
    });
    return [...sites, ...status, ...buttons];
  }

  /** Once per hour at most: the line would otherwise repeat at every poll. */
  private reportMissingButton(uuid: string, name: string | undefined): void {
    const now = this.ctx.clock.now();
    if (now - (this.missingReportedAt.get(uuid) ?? -Infinity) < HOUR) return;
    this.missingReportedAt.set(uuid, now);
    this.log.warn(`button ${name ?? uuid} (${uuid}) is no longer listed by the server; kept in Home with a fault. Check it in Harmonys.`);
  }

  /** Entries a reply had that could not be read were left out one by one (core/lenient): said once per route. */
  private noteDropped(route: string, list: object): void {
    const dropped = droppedFrom(list);
    if (dropped === 0) return;
    this.once(`dropped:${route}`, () =>
      this.log.warn(`${route}: ${dropped === 1 ? '1 entry was' : `${dropped} entries were`} unreadable and left out`),
    );
  }

  private learnAlerts(inAlert: InAlert): Map<string, SiteAlert> {
    this.noteDropped('/sites/inAlert', inAlert);
    // The catalogue does not say which buttons are PPMS ones; an alert in progress does.
    for (const entry of inAlert) if (entry.button?.uuid && isPpms(entry.button)) this.ppmsButtons.add(entry.button.uuid);
    const alerts = alertsBySite(inAlert);
    this.applyAlerts(alerts);
    return alerts;
  }

  private applyAlerts(next: Map<string, SiteAlert>): void {
    for (const [uuid, alert] of next) {
      if (this.alerts.get(uuid)?.button !== alert.button)
        this.log.warn(`${siteName(this.sites.get(uuid), uuid)}: IN ALERT (${alert.button})`);
    }
    for (const uuid of this.alerts.keys()) if (!next.has(uuid)) this.log.info(`${siteName(this.sites.get(uuid), uuid)}: alert over`);
    this.alerts = next;
  }

  private applyLinks(next: Map<string, SiteLink>): void {
    const yes = (b: boolean) => (b ? 'disconnected' : 'connected');
    for (const [uuid, link] of next) {
      const before = this.links.get(uuid);
      if (!before || before.repeater !== link.repeater || before.sigma !== link.sigma) {
        this.log.warn(
          `${siteName(this.sites.get(uuid), uuid)}: site disconnected (repeater ` +
            `${yes(link.repeater)}, Sigma master clock ${yes(link.sigma)})`,
        );
      }
    }
    for (const uuid of this.links.keys()) if (!next.has(uuid)) this.log.info(`${siteName(this.sites.get(uuid), uuid)}: connected again`);
    this.links = next;
  }

  private async checkHealth(signal: AbortSignal): Promise<void> {
    const now = this.ctx.clock.now();
    if (now - this.healthAt < 24 * HOUR) return;
    this.healthAt = now;
    try {
      const licence = await this.client.licence(signal);
      const https = await this.client.https(signal);
      for (const [what, info] of [
        ['operating licence', licence],
        ['HTTPS certificate', https],
      ] as const) {
        const warning = expiryWarning(what, info, now);
        if (warning) this.log.warn(warning);
      }
      const [a, b] = [expiryOf(licence, now), expiryOf(https, now)];
      this.expiry = { expired: a.expired || b.expired, expiring: a.expiring || b.expiring };
      this.store.upsert([serverDevice(this.account.label ?? 'Multisite', this.expiry)]);
    } catch (err) {
      if (!isAbort(err)) this.log.debug(`licence/certificate check failed: ${describeError(err)}`);
    }
  }

  // ---- pressing ----

  private async press(config: HarmonysAccount['buttons'][number]): Promise<void> {
    const uuid = config.buttonUuid;
    const name = this.store.get(buttonDeviceId(uuid))?.name ?? uuid;
    const now = this.ctx.clock.now();
    const last = this.lastPress.get(uuid);
    // The guard follows only a press the server accepted (or one still in flight): a failed press never arms it.
    if (last !== undefined && now - last < PRESS_GUARD_MS) {
      const ago = Math.round((now - last) / 1000);
      this.log.warn(
        `${name}: switch-on refused, NOT sent: this button was pressed ${ago} s ago (double tap or ` +
          `duplicated automation). Switch it on again after ${PRESS_GUARD_MS / 1000} s to press it again.`,
      );
      throw new RejectedError(`pressed ${ago} s ago; this switch-on sent nothing`);
    }
    if (this.keyRefused) throw new AuthError('the API key was refused by the server; no press was sent (fix the key first)');
    const siteUuids = config.siteUuids ?? [...this.sites.keys()];
    if (siteUuids.length === 0) throw new RejectedError('no site is known yet; no press was sent');
    this.lastPress.set(uuid, now);
    let summary: PressSummary;
    try {
      summary = summarisePress(await this.client.press(uuid, siteUuids, this.account.pressTimeoutSeconds * 1000, this.signal));
    } catch (err) {
      if (err instanceof TimeoutError) return this.pressTimedOut(config, siteUuids, name);
      this.lastPress.delete(uuid);
      this.log.error(`${name}: the press could not be confirmed: ${describeError(err)}. It was sent at most once and is not retried.`);
      this.coordinator.refreshSoon();
      throw err;
    }
    const names = (ids: string[]) => ids.map((id) => siteName(this.sites.get(id), id)).join(', ');
    const parts = [`acknowledged by ${names(summary.acknowledged) || 'no site'}`];
    if (summary.notAcknowledged.length) parts.push(`NOT acknowledged by ${names(summary.notAcknowledged)}`);
    if (summary.notFound.length) parts.push(`sites not found: ${summary.notFound.join(', ')}`);
    const line = `${name} pressed: ${parts.join('; ')}`;
    if (summary.outcome === 'none') {
      this.lastPress.delete(uuid);
      this.log.error(line);
      this.setPressFault(uuid, true);
      this.coordinator.refreshSoon();
      throw new RejectedError('no site acknowledged the press');
    }
    if (summary.outcome === 'partial') this.log.warn(`${line}. The alert went out; check the sites that did not acknowledge.`);
    else this.log.info(line);
    // As the doc asks: read the alert state at once to see that the alert really runs on each site.
    const ignored = await this.verifyPress(uuid, name, summary.acknowledged);
    this.setPressFault(uuid, summary.outcome === 'partial' || ignored);
  }

  /** The acknowledgements did not come in time: the alert state says whether the press went out. Never re-sent. */
  private async pressTimedOut(config: HarmonysAccount['buttons'][number], siteUuids: string[], name: string): Promise<void> {
    const uuid = config.buttonUuid;
    const alerts = await this.readAlertsNow();
    const raised = siteUuids.filter((s) => alerts?.get(s)?.buttonUuid === uuid);
    if (raised.length === 0) {
      this.lastPress.delete(uuid);
      this.setPressFault(uuid, true);
      this.log.error(
        `${name}: no acknowledgement within ${this.account.pressTimeoutSeconds} s and no targeted site is in alert ` +
          'with this button: the press is taken as NOT sent. It is not retried.',
      );
      throw new RejectedError('no acknowledgement, and no targeted site is in alert with this button');
    }
    const names = raised.map((id) => siteName(this.sites.get(id), id)).join(', ');
    this.log.warn(`${name}: no acknowledgement within ${this.account.pressTimeoutSeconds} s, but ${names} are in alert with this button`);
    this.setPressFault(uuid, raised.length < siteUuids.length);
  }

  /** Names the sites that acknowledged but run another alert (a higher-priority one) or an unknown melody. */
  private async verifyPress(uuid: string, name: string, acknowledged: string[]): Promise<boolean> {
    const alerts = await this.readAlertsNow();
    if (!alerts) return false;
    const other = acknowledged.filter((s) => alerts.has(s) && alerts.get(s)?.buttonUuid !== uuid);
    if (other.length === 0) return false;
    const why = other.map((s) => `${siteName(this.sites.get(s), s)} (${alerts.get(s)?.button})`).join(', ');
    this.log.warn(`${name}: acknowledged, but these sites run another alert, which the press did not replace: ${why}`);
    return true;
  }

  /** GET /sites/inAlert now (shown at once on the site sensors); undefined when it cannot be read. */
  private async readAlertsNow(): Promise<Map<string, SiteAlert> | undefined> {
    try {
      const alerts = this.learnAlerts(await this.client.inAlert(this.signal));
      this.store.upsert(this.buildDevices());
      return alerts;
    } catch (err) {
      this.log.warn(`the alert state could not be read after the press: ${describeError(err)}`);
      this.coordinator.refreshSoon();
      return undefined;
    }
  }

  private setPressFault(uuid: string, fault: boolean): void {
    if (fault) this.pressFault.add(uuid);
    else this.pressFault.delete(uuid);
    this.store.patch(buttonDeviceId(uuid), (d) => withFault(d, fault));
  }
}
