import type { VendorDemo } from '../integrations/vendorEntry';
import { toBaxoTime } from '../integrations/baxo/values';
import { SimulatorServer, type SimRequest, type SimResponse, VendorSimulator } from './base';

export interface SimTag {
  reference: string;
  value: string;
  isEvent?: boolean;
  writable?: boolean;
  /** Numeric value moves a little at each read (demo). */
  drift?: number;
  /** Seconds between the device's readings (the timestamp advances by this, and so do history rows). */
  periodSeconds?: number;
  /** The first reading served is this old (a slow device read right after a restart). */
  firstStampAgoSeconds?: number;
  /** The device stopped reporting: the timestamp and the history no longer move. */
  stopped?: boolean;
}

export interface SimBaxoDevice {
  id: string;
  name: string;
  status?: 0 | 1 | 2;
  tags: SimTag[];
}

export interface BaxoSimOptions {
  username: string;
  password: string;
  contracts: Array<{ id: string; reference: string; devices: SimBaxoDevice[] }>;
  /** History rows per tag served by devices-historics (one a minute, ending now). */
  historyRowsPerTag?: number;
  pageSize?: number;
  /** Multi-device realtime replies reproduce the doc: "deviceIdentifiant", and optionally its malformed row. */
  docTypo?: 'key' | 'malformed';
  now?: () => number;
  /** The body of a successful tag write (the doc promises none): "", "OK", "{}"... */
  writeReply?: string;
}

/** BAXO Connect k1: one endpoint, `get=` selects the service, the password once a day, 2000-based timestamps. */
export class BaxoSimulator extends VendorSimulator {
  readonly server = new SimulatorServer();
  protected readonly basePath = '/k1';
  /** UTC days on which the password was given (the account's daily session). */
  private readonly sessions = new Set<string>();
  readonly writes: Array<{ deviceId: string; tagRef: string; value: string }> = [];

  constructor(readonly opts: BaxoSimOptions) {
    super();
    this.server.now = () => this.now();
    for (const method of ['GET', 'POST']) this.server.route(method, '/k1', (r) => this.handle(r));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  device(id: string): SimBaxoDevice | undefined {
    return this.opts.contracts.flatMap((c) => c.devices).find((d) => d.id === id);
  }

  /** Changes a tag now (tests): its timestamp moves to now. */
  setTag(deviceId: string, reference: string, value: string): void {
    const tag = this.device(deviceId)?.tags.find((t) => t.reference === reference);
    if (!tag) throw new Error(`no tag ${deviceId}/${reference}`);
    tag.value = value;
    this.stamps.set(`${deviceId}/${reference}`, toBaxoTime(this.now()));
  }

  private readonly stamps = new Map<string, number>();

  private stamp(deviceId: string, tag: SimTag): number {
    const key = `${deviceId}/${tag.reference}`;
    const now = toBaxoTime(this.now());
    const period = tag.periodSeconds ?? 60;
    const last = this.stamps.get(key) ?? now - (tag.firstStampAgoSeconds ?? 0);
    const next = !tag.stopped && now - last >= period ? now - ((now - last) % period) : last;
    this.stamps.set(key, next);
    return next;
  }

  private handle(req: SimRequest): SimResponse {
    const p = new URLSearchParams(req.query);
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) p.set(k, v);
    if (p.get('username') !== this.opts.username) return { status: 401, json: { error: 'Unknown account' } };
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const password = p.get('password');
    if (password !== null) {
      if (password !== this.opts.password) return { status: 401, json: { error: 'Wrong password' } };
      this.sessions.add(day);
    } else if (!this.sessions.has(day)) return { status: 401, json: { error: 'Password required for the first request of the day' } };
    const contract = this.opts.contracts.find((c) => c.id === p.get('contractId'));
    switch (p.get('get')) {
      case 'contracts':
        return {
          json: {
            contracts: this.opts.contracts.map((c) => ({
              id: c.id,
              reference: c.reference,
              company: 'Demo',
              details: `${c.reference} contract`,
              contactEmail: 'admin@example.org',
            })),
          },
        };
      case 'devices':
        if (!contract) return { status: 400, json: { error: 'contractId' } };
        return {
          json: { devices: contract.devices.map((d) => ({ id: d.id, name: d.name, details: '', status: d.status ?? 0, timezone: 'UTC' })) },
        };
      case 'device': {
        const d = contract?.devices.find((x) => x.id === p.get('deviceId'));
        return d
          ? { json: { device: { id: d.id, name: d.name, details: '', status: d.status ?? 0, timezone: 'UTC' } } }
          : { status: 400, json: { error: 'deviceId' } };
      }
      case 'devices-realtimes':
        return contract ? this.realtimes(contract.devices, p) : { status: 400, json: { error: 'contractId' } };
      case 'devices-historics':
        return contract ? this.historics(contract.devices, p) : { status: 400, json: { error: 'contractId' } };
      case 'devices-tags-write': {
        const tag = contract?.devices.find((x) => x.id === p.get('deviceId'))?.tags.find((t) => t.reference === p.get('tagRef'));
        if (!tag?.writable) return { status: 400, json: { error: 'tag not writable' } };
        this.writes.push({ deviceId: p.get('deviceId') as string, tagRef: tag.reference, value: p.get('value') ?? '' });
        this.setTag(p.get('deviceId') as string, tag.reference, p.get('value') ?? '');
        // The doc: "Réponse simple (Code HTTP OK : 200)": no body is promised.
        return { text: this.opts.writeReply ?? '' };
      }
      default:
        return { status: 400, json: { error: 'unknown get' } };
    }
  }

  private realtimes(devices: SimBaxoDevice[], p: URLSearchParams): SimResponse {
    const single = p.get('deviceId');
    const ids = single ? [single] : (p.get('deviceIdentifiers') ?? '').split(',').filter(Boolean);
    const refs = new Set((p.get('tagReferences') ?? '').split(',').filter(Boolean));
    const key = this.opts.docTypo ? 'deviceIdentifiant' : 'deviceIdentifier';
    const logs = devices
      .filter((d) => ids.includes(d.id))
      .flatMap((d) =>
        d.tags
          .filter((t) => refs.size === 0 || refs.has(t.reference))
          .map((t) => {
            if (t.drift && !t.isEvent && !t.writable)
              t.value = (Number(t.value.replace(',', '.')) + (Math.random() - 0.5) * t.drift).toFixed(1);
            return {
              ...(single ? {} : { [key]: d.id }),
              tagReference: t.reference,
              value: t.value,
              timestamp: this.stamp(d.id, t),
              isEvent: Boolean(t.isEvent),
            };
          }),
      );
    if (this.opts.docTypo === 'malformed' && !single) {
      // The doc's second row: `"deviceIdentifiant","device2",` (a comma where the colon belongs).
      const text = JSON.stringify({ logs }).replace(/"deviceIdentifiant":"/g, '"deviceIdentifiant","');
      return { text };
    }
    return { json: { logs } };
  }

  private historics(devices: SimBaxoDevice[], p: URLSearchParams): SimResponse {
    const ids = (p.get('deviceIdentifiers') ?? p.get('deviceId') ?? '').split(',').filter(Boolean);
    const refs = new Set((p.get('tagReferences') ?? '').split(',').filter(Boolean));
    const start = Number(p.get('startTime'));
    const end = Number(p.get('endTime'));
    const perTag = this.opts.historyRowsPerTag ?? 1440;
    // Anchored on the request's end time, so every page of one history describes the same rows.
    const requestEnd = Number.isFinite(end) && end > 0 ? end : toBaxoTime(this.now());
    const rows: Array<{ device: string; tag: string; value: string; timestamp: number }> = [];
    for (const d of devices.filter((x) => ids.includes(x.id))) {
      for (const t of d.tags.filter((x) => refs.size === 0 || refs.has(x.reference))) {
        // Rows end at the tag's last reading when one was served (a stopped device has no newer rows).
        const stamp = this.stamps.get(`${d.id}/${t.reference}`);
        const now = stamp !== undefined ? Math.min(requestEnd, stamp) : requestEnd;
        const step = t.periodSeconds ?? 60;
        for (let i = perTag - 1; i >= 0; i--) {
          const ts = now - i * step;
          if (ts >= start && ts <= end)
            rows.push({ device: d.id, tag: t.reference, value: (Number(t.value) + Math.sin(i / 30)).toFixed(2), timestamp: ts });
        }
      }
    }
    const size = this.opts.pageSize ?? 10_000;
    const page = Number(p.get('page') ?? 0);
    const slice = rows.slice(page * size, (page + 1) * size);
    const groups = new Map<
      string,
      { tagReference: string; deviceIdentifier: string; logs: Array<{ value: string; timestamp: number; source: number }> }
    >();
    for (const r of slice) {
      const k = `${r.device}/${r.tag}`;
      if (!groups.has(k)) groups.set(k, { tagReference: r.tag, deviceIdentifier: r.device, logs: [] });
      groups.get(k)?.logs.push({ value: r.value, timestamp: r.timestamp, source: 1 });
    }
    const more = (page + 1) * size < rows.length;
    const next = new URL(this.url);
    for (const [k, v] of p) if (k !== 'password') next.searchParams.set(k, v);
    next.searchParams.set('page', String(page + 1));
    return { json: { ...(more ? { next: next.toString() } : {}), historics: [...groups.values()] } };
  }
}

/** Demo: a plant room and a server room, ten tags. */
export function demoBaxo(username: string, password: string): BaxoSimOptions {
  return {
    username,
    password,
    contracts: [
      {
        id: '6f1c2a9e-0000-4b7e-9d3a-5e8f7a6b4c01',
        reference: 'CT001',
        devices: [
          {
            id: '3219875446',
            name: 'Plant room',
            tags: [
              { reference: 'T_FLOW', value: '58.5', drift: 0.6 },
              { reference: 'T_RETURN', value: '44.0', drift: 0.6 },
              { reference: 'P_WATER', value: '1.8', drift: 0.05 },
              { reference: 'LEAK_FLOOR', value: '0', isEvent: true },
              { reference: 'BOILER_FAULT', value: '0', isEvent: true },
              { reference: 'PUMP_ENABLE', value: '1', writable: true },
            ],
          },
          {
            id: '14587',
            name: 'Server room',
            tags: [
              { reference: 'TEMP', value: '22.4', drift: 0.3 },
              { reference: 'HUM', value: '41', drift: 1 },
              { reference: 'CO2', value: '620', drift: 15 },
              { reference: 'DOOR', value: '0', isEvent: true },
            ],
          },
        ],
      },
    ],
  };
}

/** Demo mode: a boiler plant and a server room. */
export async function startBaxoDemo(): Promise<VendorDemo> {
  const options = demoBaxo('facility@example.org', 'demo-baxo-password');
  const sim = new BaxoSimulator(options);
  const url = await sim.start();
  const tag = (deviceId: string, tagReference: string, as: string, name: string) => ({ deviceId, tagReference, as, name });
  const account = {
    label: 'Demo plant',
    baseUrl: url,
    username: options.username,
    password: options.password,
    pollIntervalSeconds: 30,
    tags: [
      tag('3219875446', 'T_FLOW', 'temperature', 'Flow temperature'),
      tag('3219875446', 'T_RETURN', 'temperature', 'Return temperature'),
      tag('3219875446', 'LEAK_FLOOR', 'leak', 'Floor leak'),
      tag('3219875446', 'BOILER_FAULT', 'contact', 'Boiler fault'),
      tag('3219875446', 'PUMP_ENABLE', 'switch', 'Circulation pump'),
      tag('14587', 'TEMP', 'temperature', 'Server room temperature'),
      tag('14587', 'HUM', 'humidity', 'Server room humidity'),
      tag('14587', 'CO2', 'co2', 'Server room CO2'),
      tag('14587', 'DOOR', 'contact', 'Server room door'),
    ],
  };
  return { account, url, requests: () => sim.server.requests.length, stop: () => sim.stop() };
}
