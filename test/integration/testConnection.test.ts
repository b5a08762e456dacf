import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { demoOverkiz, OverkizSimulator } from '../../src/simulators/overkiz';
import { testConnection } from '../../src/ui/testConnection';
import { tempDir } from '../helpers/tempDir';
import { selfSigned } from '../helpers/tls';

/** The settings page's "Test connection", run on the plugin's own clients against the simulators. */
describe('Test connection (the settings UI server side)', () => {
  const storagePath = tempDir('ui');

  /** Test connection of an Overkiz account with `password` against the demo house (password "ui-pass-1"). */
  const againstDemo = async (password: string) => {
    const sim = new OverkizSimulator(demoOverkiz('me@example.org', 'ui-pass-1'));
    await sim.start();
    try {
      const account = { label: 'House', server: 'custom', baseUrl: sim.url, username: 'me@example.org', password };
      return await testConnection('overkiz', account, { storagePath });
    } finally {
      await sim.stop();
    }
  };

  it('success: says it logged in and how many accessories will appear', async () => {
    const report = await againstDemo('ui-pass-1');
    expect(report).toMatchObject({ ok: true });
    expect(report.message).toMatch(/^Logged in to Overkiz \(127\.0\.0\.1:\d+\): \d+ will appear in Home/);
    expect(report.ok && report.devices).toBeGreaterThan(30);
  });

  it('a real account with a camera: the kinds Home will not show are named', async () => {
    const setup = JSON.parse(readFileSync(join(__dirname, '../fixtures/overkiz/real/setup_tahoma_3.json'), 'utf8'));
    const sim = new OverkizSimulator({ userId: 'me@example.org', password: 'ui-pass-1', devices: setup.devices });
    await sim.start();
    try {
      const report = await testConnection(
        'overkiz',
        { label: 'Real', server: 'custom', baseUrl: sim.url, username: 'me@example.org', password: 'ui-pass-1' },
        { storagePath },
      );
      expect(report.ok).toBe(true);
      expect(report.message).toMatch(/will appear in Home, \d+ not supported: .*uiClass Camera widget GenericCamera/);
    } finally {
      await sim.stop();
    }
  });

  it('a wrong password: the login was refused, in words, without the password', async () => {
    const report = await againstDemo('wrong-ui-pass');
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/the login was refused.*Bad credentials/);
    expect(report.message).not.toContain('wrong-ui-pass');
  });

  it('an unreachable host: says it cannot be reached, within the time limit', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const t0 = Date.now();
    const report = await testConnection(
      'overkiz',
      { label: 'House', server: 'custom', baseUrl: `http://127.0.0.1:${port}/enduserAPI`, username: 'a@b.c', password: 'p' },
      { storagePath, timeoutMs: 15_000 },
    );
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/127\.0\.0\.1:\d+ cannot be reached/);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('a certificate it does not trust: says so and shows its fingerprint for the user to check', async () => {
    const cert = selfSigned('gateway-1234-5678-9012.local');
    const sim = new OverkizSimulator({ ...demoOverkiz('me@example.org', 'p'), localTls: cert, bearer: 'local-token-1' });
    await sim.start();
    try {
      const report = await testConnection(
        'overkiz',
        { label: 'Gateway', server: 'custom', baseUrl: sim.url, token: 'local-token-1' },
        { storagePath },
      );
      expect(report.ok).toBe(false);
      expect(report.message).toMatch(/the server's certificate is not trusted/);
      expect(!report.ok && report.fingerprint).toBe(cert.fingerprint);
      expect(report.message).toContain(cert.fingerprint);
    } finally {
      await sim.stop();
    }
  });

  it('incomplete settings are said before any request', async () => {
    const report = await testConnection('baxo', { username: 'me' }, { storagePath });
    expect(report).toMatchObject({ ok: false, message: expect.stringMatching(/^The settings are incomplete: password/) });
  });
});
