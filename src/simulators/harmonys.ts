import type { VendorDemo } from '../integrations/vendorEntry';
import { SimulatorServer, VendorSimulator, type SimRequest, type SimResponse } from './base';

export interface SimSite {
  uuid: string;
  name: string;
  address?: string;
  /** Never acknowledges a press (its master clock is unreachable). */
  deaf?: boolean;
  disconnected?: { repeater: boolean; sigma: boolean };
}

export interface SimButton {
  uuid: string;
  name: string;
  isPPMS?: boolean;
  /** Pressing it ends the alert of the chosen sites ("End of alert"). */
  endsAlert?: boolean;
  /** An ongoing alert of a higher priority is not replaced by a press of this button (the doc's example). */
  priority?: number;
}

export interface HarmonysSimOptions {
  apiKey: string;
  sites: SimSite[];
  buttons: SimButton[];
  tls?: { key: string; cert: string };
  licence?: { clientName?: string; nbSites?: number; expired: boolean; expirationDate: string };
  https?: { expired: boolean; expirationDate: string };
  /** Every answer waits this long (so identical requests can overlap and meet the 429 rule). */
  responseDelayMs?: number;
  /** Wrong keys before every request is refused for `lockoutMs`. */
  lockoutAfter?: number;
  lockoutMs?: number;
  /** The press reply waits this long after the alerts were raised (the sites' master clocks acknowledging). */
  ackDelayMs?: number;
  /** How the simulator waits (a test's manual clock); default real time. */
  sleep?: (ms: number) => Promise<void>;
}

/** Harmonys Multisite API v1: X-API-KEY, 429 on a duplicate in flight, brute-force lock-out, presses that raise alerts. */
export class HarmonysSimulator extends VendorSimulator {
  protected readonly basePath = '/api/v1';
  readonly server: SimulatorServer;
  readonly presses: Array<{ buttonUuid: string; siteUuids: string[] }> = [];
  /** site uuid -> button uuid (null: an alert whose configuration the server does not know) */
  readonly alerts = new Map<string, string | null>();
  badKeyAttempts = 0;
  private lockedUntil = 0;
  private readonly inFlight = new Set<string>();
  /** Requests waiting on `sleep` (not work in progress for a manual clock). */
  waiting = 0;

  constructor(readonly opts: HarmonysSimOptions) {
    super();
    this.server = new SimulatorServer(opts.tls);
    const s = this.server;
    const route = (method: string, path: string, h: (r: SimRequest) => SimResponse | Promise<SimResponse>) =>
      s.route(method, `/api/v1${path}`, (r) => this.guard(r, h));
    route('GET', '/sites/all', () => ({ json: this.opts.sites.map((x) => this.site(x)) }));
    route('GET', '/site', (r) =>
      this.one(
        r.query.get('siteUuid'),
        (id) => this.opts.sites.find((x) => x.uuid === id),
        (x) => this.site(x),
      ),
    );
    route('GET', '/sites/inAlert', () => ({ json: this.inAlert() }));
    route('GET', '/sites/disconnected', () => ({
      json: this.opts.sites.filter((x) => x.disconnected).map((x) => ({ ...this.site(x), disconnectedProducts: x.disconnected })),
    }));
    route('GET', '/buttons/all', () => ({ json: this.opts.buttons.map((b) => this.button(b)) }));
    route('GET', '/button', (r) =>
      this.one(
        r.query.get('buttonUuid'),
        (id) => this.opts.buttons.find((b) => b.uuid === id),
        (b) => this.button(b),
      ),
    );
    route('POST', '/button/press', (r) => this.press(r));
    route('GET', '/licence', () => ({
      json: this.opts.licence ?? { clientName: 'Demo town', nbSites: 10, expired: false, expirationDate: '31/12/2099' },
    }));
    route('GET', '/https', () => ({ json: this.opts.https ?? { expired: false, expirationDate: '31/12/2099' } }));
  }

  private async guard(req: SimRequest, handler: (r: SimRequest) => SimResponse | Promise<SimResponse>): Promise<SimResponse> {
    if (Date.now() < this.lockedUntil) return { status: 401, json: { message: 'Too many failed attempts: locked' } };
    if (req.headers['x-api-key'] !== this.opts.apiKey) {
      this.badKeyAttempts++;
      if (this.badKeyAttempts >= (this.opts.lockoutAfter ?? 5)) this.lockedUntil = Date.now() + (this.opts.lockoutMs ?? 15 * 60_000);
      return { status: 401, json: { message: 'The API key is missing or invalid.' } };
    }
    const key = `${req.method} ${req.path} ${req.query} ${req.body.toString('utf8')}`;
    if (this.inFlight.has(key)) return { status: 429, json: { message: 'The previous request has not yet returned a response.' } };
    this.inFlight.add(key);
    try {
      if (this.opts.responseDelayMs) await new Promise((r) => setTimeout(r, this.opts.responseDelayMs));
      return await handler(req);
    } finally {
      this.inFlight.delete(key);
    }
  }

  private one<T>(id: string | null, find: (id: string) => T | undefined, render: (x: T) => unknown): SimResponse {
    if (!id) return { status: 400, json: { message: 'Missing and/or wrong setting.' } };
    const found = find(id);
    return found ? { json: render(found) } : { status: 404, json: { message: 'Resource not found.' } };
  }

  private site(x: SimSite) {
    return {
      uuid: x.uuid,
      name: x.name,
      sitelps: { sigmalp: '10.0.0.50', repeaterlp: '10.0.0.51' },
      address: x.address ?? '1 rue de la Paix, Lyon',
      telephone: '04 00 00 00 00',
      lat: 45.76,
      long: 4.83,
    };
  }

  /** As the doc's samples: `isPPMS` appears in /sites/inAlert only, not in /buttons/all or /button. */
  private button(b: SimButton, withPpms = false) {
    return {
      uuid: b.uuid,
      name: b.name,
      color: '#ffec00',
      configuration: 'A',
      number: 2,
      position: 2,
      nbMelody: 3,
      ...(withPpms ? { isPPMS: Boolean(b.isPPMS) } : {}),
    };
  }

  private inAlert() {
    const byButton = new Map<string | null, string[]>();
    for (const [site, button] of this.alerts) byButton.set(button, [...(byButton.get(button) ?? []), site]);
    return [...byButton].map(([buttonUuid, sites]) => {
      const b = this.opts.buttons.find((x) => x.uuid === buttonUuid);
      const button = b
        ? this.button(b, true)
        : {
            uuid: null,
            name: 'UNKNOWN MELODY',
            color: null,
            configuration: null,
            number: null,
            position: null,
            nbMelody: null,
            isPPMS: null,
          };
      return { sites: sites.map((id) => this.site(this.opts.sites.find((x) => x.uuid === id) as SimSite)), button };
    });
  }

  private async press(req: SimRequest): Promise<SimResponse> {
    const body = (req.json ?? {}) as { buttonUuid?: string; siteUuids?: string[] };
    if (!body.buttonUuid || !Array.isArray(body.siteUuids)) return { status: 400, json: { message: 'Missing and/or wrong setting.' } };
    const button = this.opts.buttons.find((b) => b.uuid === body.buttonUuid);
    if (!button) return { status: 404, json: { message: 'Resource not found.' } };
    this.presses.push({ buttonUuid: body.buttonUuid, siteUuids: body.siteUuids });
    const successAck: string[] = [];
    const notAck: string[] = [];
    const sitesNotFound: string[] = [];
    for (const id of body.siteUuids) {
      const site = this.opts.sites.find((x) => x.uuid === id);
      if (!site) sitesNotFound.push(id);
      else if (site.deaf) notAck.push(id);
      else {
        successAck.push(id);
        const ongoing = this.opts.buttons.find((b) => b.uuid === this.alerts.get(id));
        if (button.endsAlert) this.alerts.delete(id);
        else if ((ongoing?.priority ?? -Infinity) <= (button.priority ?? 0)) this.alerts.set(id, button.uuid);
      }
    }
    if (this.opts.ackDelayMs) {
      this.waiting++;
      try {
        await (this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(this.opts.ackDelayMs);
      } finally {
        this.waiting--;
      }
    }
    return { json: { sitesAcknowledgement: { successAck, notAck }, sitesNotFound } };
  }
}

/** Demo: a school group of three sites and the four usual buttons. */
export function demoHarmonys(apiKey: string): HarmonysSimOptions {
  return {
    apiKey,
    sites: [
      { uuid: '5b2d4c1e-0001-4e8a-9d2f-3a1b5c7d9e01', name: 'Jules Ferry primary school' },
      { uuid: '5b2d4c1e-0002-4e8a-9d2f-3a1b5c7d9e02', name: 'Marie Curie secondary school' },
      { uuid: '5b2d4c1e-0003-4e8a-9d2f-3a1b5c7d9e03', name: 'City kindergarten' },
    ],
    buttons: [
      { uuid: 'b7e1a9c0-0001-4f1e-8a2b-6c3d5e7f9a01', name: 'Intrusion', isPPMS: true },
      { uuid: 'b7e1a9c0-0002-4f1e-8a2b-6c3d5e7f9a02', name: 'Confinement', isPPMS: true },
      { uuid: 'b7e1a9c0-0003-4f1e-8a2b-6c3d5e7f9a03', name: 'Evacuation', isPPMS: true },
      { uuid: 'b7e1a9c0-0004-4f1e-8a2b-6c3d5e7f9a04', name: 'End of alert', endsAlert: true },
    ],
  };
}

/** Demo mode: three schools; alert buttons are opt-in, so the demo lists all four, for every site. */
export async function startHarmonysDemo(): Promise<VendorDemo> {
  const apiKey = 'demo-harmonys-api-key';
  const options = demoHarmonys(apiKey);
  const sim = new HarmonysSimulator(options);
  const url = await sim.start();
  const account = { label: 'Demo schools', baseUrl: url, apiKey, buttons: options.buttons.map((b) => ({ buttonUuid: b.uuid })) };
  return { account, url, requests: () => sim.server.requests.length, stop: () => sim.stop() };
}
