import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Found } from '../../src/integrations/discovery';
import { VENDORS } from '../../src/integrations';
import { BUTTON_WARNING } from '../../src/integrations/harmonys/discover';
import { PEOPLE_NOTE } from '../../src/integrations/festime/discover';
import { demoHarmonys, HarmonysSimulator } from '../../src/simulators/harmonys';
import { OverkizSimulator } from '../../src/simulators/overkiz';
import { settingsHandlers } from '../../src/ui/backend';
import { CapturedLog } from '../helpers/logs';
import { tempDir } from '../helpers/tempDir';
import { selfSigned } from '../helpers/tls';

type Reply = { ok: boolean; message: string; items: Found[]; sites?: Found[]; note?: string; fingerprint?: string; devices?: number };

/** The settings page's server side (homebridge-ui/server.js wires exactly these), against the simulators. */
describe('settings page server side', () => {
  const demo = async (configKey: string) => {
    const entry = VENDORS.find((v) => v.configKey === configKey)!;
    return entry.demo();
  };
  const backend = (storagePath: string) => settingsHandlers(storagePath, new CapturedLog());
  const call = async (handlers: ReturnType<typeof backend>, path: string, payload: unknown) => (await handlers[path](payload)) as Reply;
  /** The finder of a vendor's demo account, changed by `change`, against its simulator. */
  const discoverDemo = async (configKey: string, change: Record<string, unknown>) => {
    const d = await demo(configKey);
    try {
      return await call(backend(tempDir('ui')), '/discover', { configKey, account: { ...d.account, ...change } });
    } finally {
      await d.stop();
    }
  };

  it('Overkiz: every device with its kind, those Home cannot show with the reason (a real account)', async () => {
    const setup = JSON.parse(readFileSync(join(__dirname, '../fixtures/overkiz/real/setup_tahoma_3.json'), 'utf8'));
    const sim = new OverkizSimulator({ userId: 'me@example.org', password: 'ui-pass-1', devices: setup.devices });
    await sim.start();
    try {
      const account = { server: 'custom', baseUrl: sim.url, username: 'me@example.org', password: 'ui-pass-1', exclude: ['x'] };
      const reply = await call(backend(tempDir('ui')), '/discover', { configKey: 'overkiz', account });
      expect(reply.ok).toBe(true);
      const shown = reply.items.filter((i) => !i.unsupported);
      const urls = new Set<string>(setup.devices.map((d: { deviceURL: string }) => d.deviceURL));
      expect(shown.length).toBeGreaterThan(5);
      for (const item of shown) {
        expect(urls.has(item.id)).toBe(true);
        expect(item.kind).toMatch(/\w/);
        expect(item.selected).toBe(true);
      }
      // The configured exclude is left out while listing: every device is offered.
      const camera = reply.items.find((i) => i.unsupported && /Camera/.test(i.kind ?? ''));
      expect(camera?.unsupported).toMatch(/stream/);
    } finally {
      await sim.stop();
    }
  });

  it('HomeSmartlink: the homes of the consenting users, with no home listed in the account yet', async () => {
    const reply = await discoverDemo('homesmartlink', { homeIds: [] });
    expect(reply.ok).toBe(true);
    expect(reply.items.map((i) => i.id).sort()).toEqual(['school-annex', 'school-main']);
    expect(reply.items.every((i) => i.kind === 'home' && i.selected === false)).toBe(true);
  });

  it('Harmonys: every button opt-in with the real-alert warning, and the sites a button may alert', async () => {
    const reply = await discoverDemo('harmonys', { buttons: [{ buttonUuid: 'b7e1a9c0-0002-4f1e-8a2b-6c3d5e7f9a02' }] });
    expect(reply.ok).toBe(true);
    expect(reply.items.map((i) => i.name)).toEqual(['Intrusion', 'Confinement', 'Evacuation', 'End of alert']);
    expect(reply.items.map((i) => i.selected)).toEqual([false, true, false, false]);
    expect(reply.items.every((i) => i.warning === BUTTON_WARNING)).toBe(true);
    const sites = demoHarmonys('k').sites;
    expect(reply.sites?.map((s) => s.id)).toEqual(sites.map((s) => s.uuid));
    expect(reply.items[0].detail).toContain(sites[0].name);
  });

  it('BAXO: contracts -> devices -> tags with their current values and a suggested kind', async () => {
    const reply = await discoverDemo('baxo', { tags: [] });
    expect(reply.ok).toBe(true);
    const byRef = new Map(reply.items.map((i) => [`${i.fields?.deviceId}/${i.name}`, i]));
    expect(byRef.get('14587/HUM')?.fields).toMatchObject({ tagReference: 'HUM', as: 'humidity' });
    expect(byRef.get('14587/CO2')?.fields?.as).toBe('co2');
    expect(byRef.get('3219875446/T_FLOW')?.kind).toBe('temperature');
    expect(byRef.get('3219875446/LEAK_FLOOR')?.kind).toBe('leak');
    expect(byRef.get('3219875446/PUMP_ENABLE')?.kind).toBe('switch');
    for (const item of reply.items) {
      expect(item.detail).toMatch(/^now \S/);
      expect(item.group).toMatch(/ \/ /);
      expect(item.fields?.contractId).toMatch(/\S/);
    }
  });

  it('Festime: the people who badged in the last 7 days, each opt-in, with the privacy note', async () => {
    const reply = await discoverDemo('festime', { people: [{ uid: '72' }] });
    expect(reply.ok).toBe(true);
    expect(reply.note).toBe(PEOPLE_NOTE);
    expect(reply.items.map((i) => i.id).sort()).toEqual(['70', '72', '75']);
    expect(reply.items.find((i) => i.id === '72')?.selected).toBe(true);
    expect(reply.items.find((i) => i.id === '70')?.selected).toBe(false);
    expect(reply.items.every((i) => i.name !== i.id && /last badge/.test(i.detail ?? ''))).toBe(true);
  });

  it('a discovery with a refused login says so instead of an empty list', async () => {
    const reply = await discoverDemo('baxo', { password: 'not-the-password', tags: [] });
    expect(reply.ok).toBe(false);
    expect(reply.message).toMatch(/refused|password|credentials/i);
    expect(reply.message).not.toContain('not-the-password');
  });

  it('secrets go one way: stored owner-only, only their names come back, and a test uses the stored one', async () => {
    const storage = tempDir('ui');
    const handlers = backend(storage);
    const d = await demo('baxo');
    try {
      const saved = (await handlers['/secrets/save']({ configKey: 'baxo', values: { password: d.account.password } })) as {
        credentialsRef: string;
        fields: string[];
      };
      expect(saved).toEqual({ credentialsRef: expect.stringMatching(/^bh-[0-9a-f]{16}$/), fields: ['password'] });
      const file = join(storage, 'building-hub', 'secrets.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain(String(d.account.password));
      const status = await handlers['/secrets/status']({ refs: [saved.credentialsRef, 'bh-0000000000000000', '../etc'] });
      expect(status).toEqual({ [saved.credentialsRef]: ['password'], 'bh-0000000000000000': [] });
      const { password: _password, ...withoutPassword } = d.account;
      const account = { ...withoutPassword, credentialsRef: saved.credentialsRef };
      const report = await call(handlers, '/test', { configKey: 'baxo', account });
      expect(report).toMatchObject({ ok: true, devices: expect.any(Number) });
      expect(JSON.stringify(report)).not.toContain(String(d.account.password));
      // Without the reference the same account is incomplete: the password really came from the store.
      expect((await call(handlers, '/test', { configKey: 'baxo', account: withoutPassword })).message).toMatch(/incomplete: password/);
      // A new password replaces the old under the same reference.
      const again = (await handlers['/secrets/save']({
        configKey: 'baxo',
        credentialsRef: saved.credentialsRef,
        values: { password: 'x2' },
      })) as {
        credentialsRef: string;
      };
      expect(again.credentialsRef).toBe(saved.credentialsRef);
      expect((await call(handlers, '/test', { configKey: 'baxo', account })).ok).toBe(false);
    } finally {
      await d.stop();
    }
  });

  it('refuses what is not a secret of the service, and requests of the wrong shape', async () => {
    const handlers = backend(tempDir('ui'));
    await expect(handlers['/secrets/save']({ configKey: 'baxo', values: { username: 'u' } })).rejects.toThrow(
      /username is not a secret of baxo/,
    );
    await expect(handlers['/test']({ configKey: 'nope', account: {} })).rejects.toThrow(/bad request: configKey/);
  });

  it('Harmonys with a self-signed gateway: the fingerprint is shown, and trusted only once the user confirms it', async () => {
    const cert = selfSigned();
    const sim = new HarmonysSimulator({ ...demoHarmonys('key-12345678'), tls: cert });
    const url = await sim.start();
    try {
      const handlers = backend(tempDir('ui'));
      const account = { baseUrl: url, apiKey: 'key-12345678' };
      const first = await call(handlers, '/test', { configKey: 'harmonys', account });
      expect(first.ok).toBe(false);
      expect(first.message).toMatch(/certificate is not trusted/);
      expect(first.fingerprint).toBe(cert.fingerprint);
      const confirmed = await call(handlers, '/test', {
        configKey: 'harmonys',
        account: { ...account, certificateFingerprint: first.fingerprint },
      });
      expect(confirmed).toMatchObject({ ok: true });
    } finally {
      await sim.stop();
    }
  });
});
