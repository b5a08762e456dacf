/** What an mDNS answer says about Overkiz gateways in developer mode (`_kizboxdev._tcp`). */
export interface FoundGateway {
  pin: string;
  host: string;
  port: number;
  address?: string;
}

export const KIZBOX_SERVICE = '_kizboxdev._tcp.local';

interface Answer {
  name: string;
  type: string;
  data: unknown;
}

const txtOf = (data: unknown): Record<string, string> => {
  const entries = (Array.isArray(data) ? data : [data]).map((b) => (Buffer.isBuffer(b) ? b.toString('utf8') : String(b)));
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]).filter(([k]) => k));
};

/**
 * The gateways in one mDNS response (answers and additionals together): each service instance's SRV (host and port),
 * TXT (`gateway_pin`) and the host's A record. An instance without a PIN is not a gateway we can use.
 */
export function gatewaysIn(records: readonly Answer[]): FoundGateway[] {
  const instances = records.filter((r) => r.type === 'PTR' && r.name === KIZBOX_SERVICE).map((r) => String(r.data));
  const out: FoundGateway[] = [];
  for (const instance of instances) {
    const srv = records.find((r) => r.type === 'SRV' && r.name === instance)?.data as { target?: string; port?: number } | undefined;
    const txt = records.find((r) => r.type === 'TXT' && r.name === instance);
    const pin = txt ? txtOf(txt.data).gateway_pin : undefined;
    if (!srv?.target || !pin) continue;
    const address = records.find((r) => r.type === 'A' && r.name === srv.target)?.data;
    out.push({ pin, host: srv.target, port: srv.port ?? 8443, ...(typeof address === 'string' ? { address } : {}) });
  }
  return out;
}

interface MdnsResponse {
  answers?: Answer[];
  additionals?: Answer[];
}
interface Mdns {
  on(event: 'response', listener: (packet: MdnsResponse) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  query(q: { questions: Array<{ name: string; type: string }> }): void;
  destroy(): void;
}

/**
 * Asks the LAN once for `_kizboxdev._tcp` (gateways in developer mode) and collects the answers for `timeoutMs`.
 * multicast-dns (already installed with Homebridge's own mDNS stack) does the socket work.
 */
export async function discoverGateways(timeoutMs: number): Promise<FoundGateway[]> {
  // The package ships no types; its surface used here is the small Mdns interface above.
  const make = (await import('multicast-dns')).default as unknown as () => Mdns;
  const mdns = make();
  const found = new Map<string, FoundGateway>();
  return new Promise((resolve) => {
    let ended = false;
    const done = () => {
      if (ended) return;
      ended = true;
      mdns.destroy();
      resolve([...found.values()]);
    };
    mdns.on('response', (p) => {
      for (const g of gatewaysIn([...(p.answers ?? []), ...(p.additionals ?? [])])) found.set(g.pin, g);
    });
    mdns.on('error', done);
    mdns.query({ questions: [{ name: KIZBOX_SERVICE, type: 'PTR' }] });
    setTimeout(done, timeoutMs).unref();
  });
}
