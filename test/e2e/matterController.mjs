// A Matter controller (matter.js, the one Homebridge bundles) in a process of its own, driven over stdin/stdout with
// one JSON object per line: the e2e tests commission the bridge with it and read, invoke and watch like a real hub.
// Requests: {id, op, ...}; answers: {id, result} or {id, error}; attribute changes: {event: 'change', ...}.
import { createInterface } from 'node:readline';

// The matter.js of Homebridge 2 in .cache/hb2 (MATTER_MAIN, a file URL): the dev dependency, Homebridge 1.11, has none.
const { Environment, ServerNode } = await import(process.env.MATTER_MAIN ?? '@matter/main');

const [storage, port] = process.argv.slice(2);
const env = Environment.default;
env.vars.set('mdns.networkInterface', 'lo');
env.vars.set('storage.path', storage);
env.vars.set('log.level', 'error');

const send = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
let controller;
let peer;
const endpoints = new Map();

function walk(ep) {
  for (const p of ep.parts) {
    endpoints.set(p.number, p);
    walk(p);
  }
}

function endpoint(number) {
  const ep = endpoints.get(number);
  if (!ep) throw new Error(`no endpoint ${number}`);
  return ep;
}

const ops = {
  async commission({ passcode, discriminator }) {
    controller = await ServerNode.create({
      id: 'e2e-controller',
      network: { port: Number(port) },
      commissioning: { enabled: false },
      controller: { adminFabricLabel: 'e2e' },
    });
    await controller.start();
    peer = await controller.peers.commission({ passcode, longDiscriminator: discriminator, timeout: 60_000 });
    walk(peer);
    return ops.endpoints();
  },
  endpoints() {
    return [...endpoints.values()].map((ep) => ({
      number: ep.number,
      label: ep.maybeStateOf('bridgedDeviceBasicInformation')?.nodeLabel,
      reachable: ep.maybeStateOf('bridgedDeviceBasicInformation')?.reachable,
      clusters: Object.keys(ep.state ?? {}),
    }));
  },
  state({ endpoint: n, cluster }) {
    return endpoint(n).stateOf(cluster);
  },
  async invoke({ endpoint: n, cluster, command, args }) {
    await endpoint(n).commandsOf(cluster)[command](args);
    return true;
  },
  async write({ endpoint: n, cluster, values }) {
    await endpoint(n).setStateOf(cluster, values);
    return true;
  },
  watch({ endpoint: n, cluster, attribute }) {
    endpoint(n)
      .eventsOf(cluster)
      [`${attribute}$Changed`].on((value) => send({ event: 'change', endpoint: n, cluster, attribute, value, at: Date.now() }));
    return true;
  },
  async close() {
    await controller?.close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

const replacer = (_k, v) => (typeof v === 'bigint' ? Number(v) : v);
createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, op, ...args } = JSON.parse(line);
  try {
    const result = await ops[op](args);
    process.stdout.write(`${JSON.stringify({ id, result }, replacer)}\n`);
  } catch (err) {
    send({ id, error: String(err?.message ?? err) });
  }
});
