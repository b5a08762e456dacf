import type { VendorDemo } from '../integrations/vendorEntry';
import { localDateMinutesToEpoch, localParts } from '../core/time';
import { SimulatorServer, VendorSimulator, type SimRequest, type SimResponse } from './base';

export interface SimHslDevice {
  header: string;
  roomId: number;
  roomName: string;
  category: 'Heater' | 'TowelDryier' | 'Fireplace' | 'Furnace' | 'Gateway' | 'Module' | 'None';
  online: boolean;
  mode: 'Stop' | 'Antifreeze' | 'Manual' | 'Prog';
  /** Setpoint of the schedule, without derogations. */
  baseSp: number;
  /** null: the heater's sensor cannot be read (no pv in the reply). */
  pv: number | null;
  softwareVersion?: number;
  /** The last report the device sent (sp/pv/lastUpdate lag the real setpoint between reports). */
  reported?: { at: number; sp: number; pv: number | null };
}

export interface SimHslHome {
  homeId: string;
  city?: string;
  devices: SimHslDevice[];
  /** The gateway never acknowledges MQTT requests (delivery monitoring tests). */
  gatewayDeaf?: boolean;
  lastPing?: string;
  /** `gatewayEnabled` in the invitations; default true. */
  gatewayConnected?: boolean;
}

export interface SimDerogation {
  homeId: string;
  roomId: number;
  startTime: number;
  endTime: number;
  delta: number;
  date: string;
}

export interface HslSimOptions {
  clientId: string;
  clientSecret: string;
  homes: SimHslHome[];
  /** email -> home ids it was invited to */
  invitations?: Record<string, string[]>;
  /** Share of homes (0..1, the first ones in `homes`) whose gateway never acknowledges; adds to `gatewayDeaf`. */
  nonAckFraction?: number;
  /** Time zone the gateways apply derogations in; default: host. */
  timezone?: string;
  /**
   * Heaters report every this many ms (0, the default: a fresh report at every read). Between reports `sp`, `pv` and
   * `lastUpdate` are the last report's, as the doc describes them ("the device's last report").
   */
  reportEveryMs?: number;
  now?: () => number;
}

/** The HomeSmartlink partner API v0.3.3 as its doc describes it, including the `reponse` spelling. */
export class HomeSmartlinkSimulator extends VendorSimulator {
  protected readonly basePath = '';
  readonly server = new SimulatorServer();
  readonly derogations: Array<SimDerogation & { trigger: string }> = [];
  /** trigger -> homes it targets and when it fires (a window part's start or end). */
  private readonly triggers = new Map<string, { homes: string[]; firesAt: number }>();
  private seq = 0;

  constructor(readonly opts: HslSimOptions) {
    super();
    this.server.now = () => this.now();
    const s = this.server;
    s.route('POST', '/partners/1/config', (r) => this.guard(r, () => this.config(r)));
    s.route('POST', '/partners/1/invitations', (r) => this.guard(r, () => this.invitations(r)));
    s.route('POST', '/partners/1/derogations', (r) => this.guard(r, () => this.derogate(r)));
    s.route('POST', '/partners/1/report', (r) => this.guard(r, () => this.report(r)));
    s.route('GET', '/partners/1/users', (r) => this.guard(r, () => this.users(r)));
    s.route('POST', '/partners/1/request', (r) =>
      this.guard(r, () => ({ json: this.ok({ status: 'OK', messageId: `diag-${++this.seq}` }) })),
    );
    s.route('PUT', '/partners/1/request', (r) =>
      this.guard(r, () => ({ json: this.ok({ _created_at: new Date(this.now()).toISOString(), acknowledge: true }) })),
    );
  }

  home(homeId: string): SimHslHome | undefined {
    return this.opts.homes.find((h) => h.homeId === homeId);
  }

  /** The setpoint a device applies now: its schedule plus the latest derogation whose window contains now. */
  effectiveSetpoint(homeId: string, device: SimHslDevice): number {
    const { date, minutes } = localParts(this.now(), this.opts.timezone ?? 'Europe/Paris');
    const active = this.derogations
      .filter((d) => d.homeId === homeId && d.roomId === device.roomId && d.date === date && d.startTime <= minutes && minutes < d.endTime)
      .at(-1);
    return device.baseSp + (active?.delta ?? 0);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private ok(payload: unknown, key: 'reponse' | 'response' = 'response') {
    return { authorisation: { type: 'BASIC', client: this.opts.clientId }, [key]: payload };
  }

  private guard(req: SimRequest, handler: () => SimResponse): SimResponse {
    const expected = `Basic ${Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return { status: 401, json: { error: 'Unauthorized', message: 'bad partner credentials' } };
    return handler();
  }

  private config(req: SimRequest): SimResponse {
    const { homeId } = (req.json ?? {}) as { homeId?: string };
    const home = homeId ? this.home(homeId) : undefined;
    if (!home) return { status: 404, json: { error: 'Not Found', message: `unknown home ${homeId}` } };
    const devices = home.devices.map((d) => {
      const base = {
        header: d.header,
        roomId: d.roomId,
        roomName: d.roomName,
        softwareVersion: d.softwareVersion ?? 3,
        category: d.category,
        online: d.online,
      };
      if (!d.online) return base;
      const now = this.now();
      if (!d.reported || now - d.reported.at >= (this.opts.reportEveryMs ?? 0)) {
        const sp = d.mode === 'Stop' ? 0 : this.effectiveSetpoint(home.homeId, d);
        if (d.mode !== 'Stop' && d.pv !== null) d.pv = Math.round((d.pv + (sp - d.pv) * 0.2) * 10) / 10;
        d.reported = { at: now, sp, pv: d.pv };
      }
      const { sp, pv, at } = d.reported;
      // The doc types pv as a string; real gateways send a French decimal comma.
      const reading = pv === null ? {} : { pv: pv.toFixed(1).replace('.', ',') };
      return { ...base, mode: d.mode, sp, ...reading, lastUpdate: new Date(at).toISOString() };
    });
    const gateway = {
      token: `gw-${home.homeId}`,
      version: '2.4.1',
      lastPing: home.lastPing ?? new Date(this.now() - 30_000).toISOString(),
      installationDate: '2023-09-01T08:00:00.000Z',
    };
    return { json: { ...this.ok(devices, 'reponse'), gateway } };
  }

  private invitations(req: SimRequest): SimResponse {
    const { email } = (req.json ?? {}) as { email?: string };
    const ids = (email && this.opts.invitations?.[email]) || [];
    const homes = ids.map((id) => this.home(id)).filter((h): h is SimHslHome => h !== undefined);
    return {
      json: this.ok(
        homes.map((h) => ({
          _id: h.homeId,
          email,
          role: 2,
          city: h.city ?? 'Lyon',
          gatewayEnabled: h.gatewayConnected ?? true,
          hasGateway: true,
          rooms: [...new Set(h.devices.map((d) => d.roomId))].map((roomId) => ({
            roomNumber: roomId,
            name: h.devices.find((d) => d.roomId === roomId)?.roomName,
            accessories: h.devices.filter((d) => d.roomId === roomId).map((d) => d.header),
          })),
        })),
        'reponse',
      ),
    };
  }

  private derogate(req: SimRequest): SimResponse {
    const list = ((req.json ?? {}) as { derogations?: SimDerogation[] }).derogations;
    if (!Array.isArray(list) || list.length === 0) return { status: 400, json: { error: 'derogations must be a non-empty array' } };
    const [first] = list;
    for (const d of list) {
      if (!this.home(d.homeId)) return { status: 400, json: { error: `unknown home ${d.homeId}` } };
      if (d.startTime !== first.startTime || d.endTime !== first.endTime)
        return { status: 400, json: { error: 'all derogations must share startTime and endTime' } };
      if (d.startTime % 5 || d.endTime % 5 || d.startTime < 0 || d.endTime > 1440 || d.endTime <= d.startTime)
        return { status: 400, json: { error: 'bad time window' } };
      if (!Number.isInteger(d.delta) || d.delta < -5 || d.delta > 5)
        return { status: 400, json: { error: 'delta must be an integer in -5..5' } };
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date)) return { status: 400, json: { error: 'bad date' } };
    }
    const trigger = `trg-${++this.seq}`;
    for (const d of list) this.derogations.push({ ...d, trigger });
    const homes = [...new Set(list.map((d) => d.homeId))];
    const zone = this.opts.timezone ?? 'Europe/Paris';
    this.triggers.set(trigger, { homes, firesAt: localDateMinutesToEpoch(first.date, first.startTime, zone) });
    this.triggers.set(`${trigger}-end`, { homes, firesAt: localDateMinutesToEpoch(first.date, first.endTime, zone) });
    return { json: { ...this.ok(list.map((_, i) => `der-${this.seq}-${i}`)), startTrigger: trigger, endTrigger: `${trigger}-end` } };
  }

  private report(req: SimRequest): SimResponse {
    const { trigger } = (req.json ?? {}) as { trigger?: string };
    const found = trigger ? this.triggers.get(trigger) : undefined;
    const homes = found?.homes ?? [];
    const at = new Date(this.now()).toISOString();
    // Nothing is emitted before the trigger fires: the report lists the targets, none sent yet.
    if (found && found.firesAt > this.now())
      return { json: this.ok({ summary: { requested: homes.length, sent: 0, received: 0, first: null, last: null }, details: [] }) };
    const deafCount = Math.ceil((this.opts.nonAckFraction ?? 0) * this.opts.homes.length);
    const deaf = new Set(this.opts.homes.filter((h, i) => h.gatewayDeaf || i < deafCount).map((h) => h.homeId));
    const details = homes.map((homeId) => ({ homeId, acknowledge: !deaf.has(homeId), sendAt: at }));
    const received = details.filter((d) => d.acknowledge).length;
    return { json: this.ok({ summary: { requested: homes.length, sent: homes.length, received, first: at, last: at }, details }) };
  }

  private users(req: SimRequest): SimResponse {
    const page = Math.max(1, Number(req.query.get('page') ?? 1));
    const size = Math.max(1, Number(req.query.get('size') ?? 20));
    const all = this.opts.homes.map((h, i) => ({
      homeId: h.homeId,
      firstName: `User${i}`,
      lastName: 'Demo',
      city: h.city ?? 'Lyon',
      consentDate: '2024-10-01T00:00:00Z',
    }));
    return { json: this.ok(all.slice((page - 1) * size, page * size)) };
  }
}

/** A believable site for the demo: a school with offices, two homes, 8 heaters and 2 towel dryers. */
export function demoHomes(): SimHslHome[] {
  const heater = (header: string, roomId: number, roomName: string, baseSp: number, pv: number): SimHslDevice => ({
    header,
    roomId,
    roomName,
    category: 'Heater',
    online: true,
    mode: 'Prog',
    baseSp,
    pv,
  });
  return [
    {
      homeId: 'school-main',
      city: 'Lyon',
      devices: [
        heater('A1F0', 1, 'Reception', 20, 19.2),
        heater('A1F1', 2, 'Staff room', 20, 20.4),
        heater('A1F2', 3, 'Office 1', 19.5, 18.9),
        heater('A1F3', 4, 'Office 2', 19.5, 19.6),
        heater('A1F4', 5, 'Meeting room', 19, 18.1),
        heater('A1F5', 5, 'Meeting room', 19, 18.3),
        {
          header: 'A1T0',
          roomId: 6,
          roomName: 'Staff bathroom',
          category: 'TowelDryier',
          online: true,
          mode: 'Manual',
          baseSp: 22,
          pv: 21.5,
        },
        { header: 'A1G0', roomId: 0, roomName: 'Technical room', category: 'Gateway', online: true, mode: 'Manual', baseSp: 0, pv: 0 },
      ],
    },
    {
      homeId: 'school-annex',
      city: 'Lyon',
      devices: [
        heater('B2F0', 1, 'Library', 19, 18.6),
        heater('B2F1', 2, 'Classroom 1', 19, 19.1),
        { header: 'B2T0', roomId: 3, roomName: 'Infirmary', category: 'TowelDryier', online: true, mode: 'Prog', baseSp: 21, pv: 20.2 },
      ],
    },
  ];
}

/** Demo mode: a school of two buildings with heaters and towel dryers. */
export async function startHomeSmartlinkDemo(): Promise<VendorDemo> {
  const credentials = { clientId: 'demo-partner', clientSecret: 'demo-secret' };
  const sim = new HomeSmartlinkSimulator({ ...credentials, homes: demoHomes() });
  const url = await sim.start();
  const account = { label: 'Demo school', baseUrl: url, ...credentials, homeIds: ['school-main', 'school-annex'], pollIntervalSeconds: 30 };
  return { account, url, requests: () => sim.server.requests.length, stop: () => sim.stop() };
}
