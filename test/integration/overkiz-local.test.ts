import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { overkizAccountSchema } from '../../src/integrations/overkiz/account';
import { OverkizIntegration } from '../../src/integrations/overkiz/integration';
import { OverkizSimulator } from '../../src/simulators/overkiz';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';
import { shutters } from '../helpers/overkizFixture';
import { tempDir } from '../helpers/tempDir';
import { caSigned } from '../helpers/tls';

const PIN = '1234-5678-9012';

/** Stands in for ca.overkiz.com on loopback: answers `status` with `pem`, counting requests. */
async function rootCaServer(status: number, pem = '') {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(status, { 'content-type': 'application/x-x509-ca-cert' }).end(pem);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/overkiz-root-ca-2048.crt`,
    hits: () => hits,
    stop: () => new Promise((r) => server.close(r)),
  };
}
const tls = caSigned(`gateway-${PIN}.local`);

/** A cloud account and its gateway's local API (HTTPS, a certificate from a test CA), on one manual clock. */
async function start(account: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const now = () => clock.now();
  const devices = shutters(3).map((d) => ({ ...d, deviceURL: d.deviceURL.replace(/io:\/\/[^/]+\//, `io://${PIN}/`) }));
  const cloud = new OverkizSimulator({ userId: 'me@example.org', password: 'cloud-p@ss', devices, gatewayId: PIN, now });
  const gateway = new OverkizSimulator({
    userId: 'me@example.org',
    password: 'cloud-p@ss',
    devices: structuredClone(devices),
    gatewayId: PIN,
    now,
    localTls: tls,
    acceptBearer: (token) => cloud.localTokens.has(token),
  });
  await Promise.all([cloud.start(), gateway.start()]);
  const log = new CapturedLog();
  const storagePath = tempDir('okz-local');
  const parsed = overkizAccountSchema.parse({
    label: 'House',
    server: 'custom',
    baseUrl: cloud.url,
    username: 'me@example.org',
    password: 'cloud-p@ss',
    localApi: true,
    gatewayPin: PIN,
    localUrl: gateway.url,
    caCertificate: tls.ca,
    idlePollSeconds: 10,
    ...account,
  });
  let integration = new OverkizIntegration(parsed, { log, clock, storagePath });
  clock.busy = () =>
    cloud.server.inFlight > 0 || gateway.server.inFlight > 0 || integration.http.inFlight > 0 || (integration.local?.inFlight() ?? 0) > 0;
  let abort = new AbortController();
  await integration.start(abort.signal);
  const paths = (sim: OverkizSimulator) => sim.server.requests.map((r) => `${r.method} ${r.path.replace(/^.*enduserAPI/, '')}`);
  return {
    clock,
    cloud,
    gateway,
    log,
    get integration() {
      return integration;
    },
    /** Homebridge restarted: a new integration on the same storage dir. */
    async restart() {
      abort.abort();
      integration = new OverkizIntegration(parsed, { log, clock, storagePath });
      abort = new AbortController();
      await integration.start(abort.signal);
    },
    storagePath,
    paths,
    ids: () =>
      integration
        .devices()
        .map((d) => d.id)
        .sort(),
    async stop() {
      abort.abort();
      await Promise.all([cloud.stop(), gateway.stop()]);
    },
  };
}

describe('Overkiz local API, set up from the cloud account', () => {
  it('makes and activates a local token through the cloud, then talks to the gateway over HTTPS (test CA as root)', async () => {
    const t = await start();
    try {
      expect(t.paths(t.cloud)).toEqual(['POST /login', `GET /config/${PIN}/local/tokens/generate`, `POST /config/${PIN}/local/tokens`]);
      expect(t.paths(t.gateway)).toEqual(expect.arrayContaining(['GET /setup', 'POST /events/register']));
      expect(t.ids()).toHaveLength(3);
      expect(t.integration.devices().every((d) => d.available)).toBe(true);
      // the token is kept owner-only under the storage dir, and never logged
      const [token] = [...t.cloud.localTokens];
      const file = join(t.storagePath, 'building-hub', 'overkiz-overkiz_House-local.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(t.log.text()).not.toContain(token);
      // a change at the gateway reaches Home over the local listener
      const url = t.ids()[0];
      t.gateway.setState(url, 'core:ClosureState', 80);
      await t.clock.advance(11_000);
      expect(t.integration.device(url)?.capabilities.find((c) => c.kind === 'cover')).toMatchObject({ currentPosition: 20 });
    } finally {
      await t.stop();
    }
  });

  it('the gateway down: the same accessories from the cloud; back: local again within 5 minutes', async () => {
    const t = await start();
    try {
      const before = t.ids();
      const port = t.gateway.server.port;
      await t.gateway.stop();
      t.cloud.server.resetLog();
      await t.clock.advance(25_000);
      expect(t.log.matching(/the gateway does not answer.*using the cloud/, 'warn')).toHaveLength(1);
      expect(t.paths(t.cloud)).toEqual(expect.arrayContaining(['POST /events/register']));
      expect(t.ids()).toEqual(before);
      expect(t.integration.devices().every((d) => d.available)).toBe(true);
      // a change reaches Home from the cloud meanwhile
      t.cloud.setState(before[1], 'core:ClosureState', 0);
      await t.clock.advance(11_000);
      expect(t.integration.device(before[1])?.capabilities.find((c) => c.kind === 'cover')).toMatchObject({ currentPosition: 100 });
      // tried again every 5 minutes while it is down: still one warning for the outage
      await t.clock.advance(11 * 60_000);
      expect(t.log.matching(/the gateway does not answer/, 'warn')).toHaveLength(1);
      await t.gateway.start(port);
      t.gateway.server.resetLog();
      await t.clock.advance(5 * 60_000);
      expect(t.paths(t.gateway)).toEqual(expect.arrayContaining(['POST /events/register']));
      expect(t.log.matching(/the gateway answers again/, 'info')).toHaveLength(1);
      expect(t.ids()).toEqual(before);
    } finally {
      await t.stop();
    }
  });

  it('a token the gateway refuses later: one log line, a new token through the cloud, and on', async () => {
    const t = await start();
    try {
      t.cloud.localTokens.clear();
      await t.clock.advance(25_000);
      expect(t.log.matching(/refused its local token/, 'warn')).toHaveLength(1);
      expect(t.cloud.localTokens.size).toBe(1);
      expect(t.integration.devices().every((d) => d.available)).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('a restart uses the stored token: no new one is made, the cloud is not asked', async () => {
    const t = await start();
    try {
      t.cloud.server.resetLog();
      t.gateway.server.resetLog();
      await t.restart();
      expect(t.cloud.server.requests).toHaveLength(0);
      expect(t.cloud.localTokens.size).toBe(1);
      expect(t.paths(t.gateway)).toEqual(expect.arrayContaining(['GET /setup', 'POST /events/register']));
      expect(t.integration.devices().every((d) => d.available)).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('a gateway whose certificate is not trusted is not used: the cloud serves the accessories', async () => {
    const ca = await rootCaServer(404);
    const t = await start({ caCertificate: undefined, rootCaUrl: ca.url });
    try {
      // no trusted root (the Overkiz root CA could not be read): no request gets past the TLS handshake
      expect(t.gateway.server.requests).toHaveLength(0);
      expect(t.log.matching(/the gateway does not answer.*using the cloud/, 'warn')).toHaveLength(1);
      expect(t.log.matching(/the Overkiz root CA could not be read from .*HTTP 404/, 'warn')).toHaveLength(1);
      expect(t.ids()).toHaveLength(3);
    } finally {
      await t.stop();
      await ca.stop();
    }
  });

  it('no caCertificate or fingerprint: the Overkiz root CA is read once from Overkiz, kept owner-only, and trusted', async () => {
    const ca = await rootCaServer(200, tls.ca);
    const t = await start({ caCertificate: undefined, rootCaUrl: ca.url });
    try {
      expect(t.paths(t.gateway)).toEqual(expect.arrayContaining(['GET /setup', 'POST /events/register']));
      expect(t.integration.devices().every((d) => d.available)).toBe(true);
      const kept = join(t.storagePath, 'building-hub', 'overkiz-root-ca.json');
      expect(statSync(kept).mode & 0o777).toBe(0o600);
      expect(t.log.matching(/the Overkiz root CA was read from/, 'info')).toHaveLength(1);
      await t.restart();
      expect(ca.hits()).toBe(1); // kept: not read again at the next start
      expect(t.integration.devices().every((d) => d.available)).toBe(true);
    } finally {
      await t.stop();
      await ca.stop();
    }
  });

  it('what is read as the root CA must be a CA certificate', async () => {
    const leaf = caSigned('not-a-ca.local');
    const ca = await rootCaServer(200, leaf.cert);
    const t = await start({ caCertificate: undefined, rootCaUrl: ca.url });
    try {
      expect(t.gateway.server.requests).toHaveLength(0);
      expect(t.log.matching(/root CA could not be read .*not a CA certificate/, 'warn')).toHaveLength(1);
    } finally {
      await t.stop();
      await ca.stop();
    }
  });
});
