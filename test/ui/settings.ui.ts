import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type FrameLocator, type Page } from 'playwright-core';
import { parseConfig } from '../../src/config';
import { SecretStore } from '../../src/core/secretStore';
import { BaxoSimulator, demoBaxo } from '../../src/simulators/baxo';
import { demoHarmonys, HarmonysSimulator } from '../../src/simulators/harmonys';
import { demoOverkiz, OverkizSimulator } from '../../src/simulators/overkiz';
import { FakeHomebridge } from '../helpers/fakeHomebridge';
import { CapturedLog } from '../helpers/logs';
import { tempDir } from '../helpers/tempDir';
import { selfSigned } from '../helpers/tls';
import { type ConfigUi, startConfigUi } from './configUi';

const SHOTS = resolve(__dirname, '../../test-artifacts/ui');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const OVERKIZ = { user: 'facility@example.org', password: 'Ov3rkiz-ui-secret' };
const HARMONYS_KEY = 'harmonys-ui-test-key';
const BAXO = { user: 'plant@example.org', password: 'Baxo-ui-secret-9' };

type Block = Record<string, unknown> & { platform: string };

async function until(ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The settings page as a user meets it: headless Chromium (Debian's) driven by playwright-core, inside a real
 * homebridge-config-ui-x 5.28 serving this plugin, with the simulators behind it. Screenshots go to
 * test-artifacts/ui/.
 */
describe('settings page in homebridge-config-ui-x, in a real browser', () => {
  let ui: ConfigUi;
  let browser: Browser;
  let page: Page;
  const sims = {
    overkiz: new OverkizSimulator(demoOverkiz(OVERKIZ.user, OVERKIZ.password)),
    harmonys: new HarmonysSimulator(demoHarmonys(HARMONYS_KEY)),
    baxo: new BaxoSimulator(demoBaxo(BAXO.user, BAXO.password)),
  };
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    urls.overkiz = await sims.overkiz.start();
    urls.harmonys = await sims.harmonys.start();
    urls.baxo = await sims.baxo.start();
    ui = await startConfigUi(tempDir('config-ui'));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
  });

  afterAll(async () => {
    await browser?.close();
    await ui?.stop();
    for (const sim of Object.values(sims)) await sim.stop();
  });

  const block = (): Block | undefined => {
    const config = JSON.parse(readFileSync(ui.configPath, 'utf8')) as { platforms: Block[] };
    return config.platforms.find((p) => p.platform === 'BuildingHub');
  };
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  /** Opens the plugin's settings from the Plugins page: the page's iframe. */
  const openSettings = async (): Promise<FrameLocator> => {
    await page.goto(`${ui.url}/plugins`);
    const card = page.locator('app-plugin-card', { hasText: 'homebridge-building-hub' });
    await card.waitFor();
    const setUp = card.locator('button[aria-label="Set Up"]');
    if (await setUp.count()) await setUp.click();
    else {
      await card.locator('button[aria-label="Plugin Actions"]').click();
      await page
        .getByRole('menuitem', { name: /Plugin Config/ })
        .or(page.locator('.dropdown-item', { hasText: 'Plugin Config' }))
        .click();
    }
    const frame = page.frameLocator('iframe[src*="settings-ui/homebridge-building-hub"]');
    await frame.locator('#bh-vendors details').first().waitFor();
    return frame;
  };
  /** Presses the modal's Save, then waits until config.json holds what `done` looks for. */
  const save = async (done: (saved: Block) => boolean) => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // A plugin saved for the first time: config-ui-x then offers a child bridge, with a Save of its own.
    const offered = await page
      .getByText('Use Child Bridge')
      .waitFor({ timeout: 3000 })
      .then(
        () => true,
        () => false,
      );
    if (offered) {
      await shot('child-bridge-offer');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
    }
    await until(() => {
      const saved = block();
      return saved !== undefined && done(saved);
    }, 10_000);
  };
  const section = (frame: FrameLocator, vendor: string) => frame.locator(`details[data-vendor="${vendor}"]`);
  const addAccount = async (frame: FrameLocator, vendor: string, label: RegExp) => {
    const s = section(frame, vendor);
    if (!(await s.evaluate((el) => (el as unknown as { open: boolean }).open))) await s.locator('summary').click();
    await s.getByRole('button', { name: label }).click();
    return s.locator('.bh-account').last();
  };

  it('demo mode ticked + Save writes no empty account, and the next start has no configuration error', async () => {
    const frame = await openSettings();
    await frame.getByLabel('Demo mode').check();
    // An account row opened and left blank is not an account.
    await addAccount(frame, 'homesmartlink', /Add a HomeSmartlink account/);
    await shot('1-demo-mode');
    await save((b) => b.demo === true);
    // config-ui-x adds `_bridge` when the user keeps its child bridge offer; Homebridge takes it off.
    const { _bridge, ...saved } = block()!;
    expect(saved).toEqual({ platform: 'BuildingHub', demo: true });
    const parsed = parseConfig(saved, undefined, new SecretStore(ui.storage, new CapturedLog()));
    expect(parsed.problems).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.demo).toBe(true);
    // The next start itself: the plugin, given what was saved, logs no error or warning.
    const hb = new FakeHomebridge(saved);
    try {
      await hb.launch();
      await hb.platform.started;
      expect(hb.log.lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
      expect(hb.log.matching(/demo/i).length).toBeGreaterThan(0);
    } finally {
      hb.shutdown();
    }
  });

  it('an Overkiz account, a Harmonys button and two BAXO tags: config.json holds exactly what was picked', async () => {
    await page.reload();
    const frame = await openSettings();

    const overkiz = await addAccount(frame, 'overkiz', /Add a Overkiz account/);
    await overkiz.getByLabel('Server', { exact: true }).selectOption('custom');
    await overkiz.getByLabel(/^Base URL/).fill(urls.overkiz);
    await overkiz.getByLabel(/^Base URL/).blur();
    await overkiz.getByLabel('Username (e-mail)').fill(OVERKIZ.user);
    await overkiz.getByLabel('Username (e-mail)').blur();
    await overkiz.getByLabel('Password', { exact: true }).fill(OVERKIZ.password);
    await overkiz.getByLabel('Password', { exact: true }).blur();
    await overkiz.getByRole('button', { name: 'Test connection' }).click();
    const status = overkiz.getByRole('status');
    await status.filter({ hasText: /will appear in Home/ }).waitFor({ timeout: 20_000 });
    const devices = demoOverkiz(OVERKIZ.user, OVERKIZ.password).devices.length;
    expect(await status.textContent()).toMatch(new RegExp(`^Logged in to Overkiz \\(127\\.0\\.0\\.1:\\d+\\): \\d+ will appear in Home`));
    expect(Number(/: (\d+) will appear/.exec((await status.textContent()) ?? '')?.[1])).toBeGreaterThan(devices / 2);
    await shot('2-overkiz-tested');

    const harmonys = await addAccount(frame, 'harmonys', /Add a Harmonys account/);
    await harmonys.getByLabel('API base URL').fill(urls.harmonys);
    await harmonys.getByLabel('API base URL').blur();
    await harmonys.getByLabel('API key').fill(HARMONYS_KEY);
    await harmonys.getByLabel('API key').blur();
    await harmonys.getByRole('button', { name: 'Find alert buttons' }).click();
    const intrusion = harmonys.locator('.bh-picker').getByLabel(/^Intrusion/);
    await intrusion.waitFor({ timeout: 20_000 });
    expect(await harmonys.locator('.bh-warning').count()).toBe(4);
    await intrusion.check();
    await shot('3-harmonys-button');

    const baxo = await addAccount(frame, 'baxo', /Add a BAXO account/);
    expect(await baxo.getByLabel('BAXO Connect e-mail').getAttribute('aria-required')).toBe('true');
    expect(await baxo.getByLabel('Label').getAttribute('aria-required')).toBeNull();
    await baxo.getByLabel('API URL').fill(urls.baxo);
    await baxo.getByLabel('API URL').blur();
    await baxo.getByLabel('BAXO Connect e-mail').fill(BAXO.user);
    await baxo.getByLabel('BAXO Connect e-mail').blur();
    await baxo.getByLabel('Password', { exact: true }).fill(BAXO.password);
    await baxo.getByLabel('Password', { exact: true }).blur();
    await baxo.getByRole('button', { name: 'Find tags' }).click();
    const hum = baxo.locator('.bh-picker .form-check', { hasText: /^HUM/ });
    await hum.waitFor({ timeout: 20_000 });
    await expect(hum.getByRole('combobox').inputValue()).resolves.toBe('humidity');
    await hum.getByRole('checkbox').check();
    const door = baxo.locator('.bh-picker .form-check', { hasText: /^DOOR/ });
    await door.getByRole('checkbox').check();
    // The account's own field shows what the finder wrote (for scale, offset or a name added by hand).
    const tagsField = baxo.getByLabel('Tags to show in Home');
    expect(JSON.parse(await tagsField.inputValue()).map((t: { tagReference: string }) => t.tagReference)).toEqual(['HUM', 'DOOR']);
    await shot('4-baxo-tags');
    await save((b) => Array.isArray(b.baxo) && (b.baxo[0] as { tags?: unknown[] }).tags?.length === 2);

    const { _bridge, ...saved } = block()!;
    const ref = expect.stringMatching(/^bh-[0-9a-f]{16}$/);
    expect(Object.keys(saved).sort()).toEqual(['baxo', 'demo', 'harmonys', 'overkiz', 'platform']);
    expect(saved.overkiz).toEqual([{ server: 'custom', baseUrl: urls.overkiz, username: OVERKIZ.user, credentialsRef: ref }]);
    const intrusionUuid = demoHarmonys('k').buttons.find((b) => b.name === 'Intrusion')!.uuid;
    expect(saved.harmonys).toEqual([
      { baseUrl: urls.harmonys, credentialsRef: ref, buttons: [{ buttonUuid: intrusionUuid, name: 'Intrusion' }] },
    ]);
    const [baxoAccount] = saved.baxo as Array<Record<string, unknown>>;
    expect(baxoAccount).toMatchObject({ baseUrl: urls.baxo, username: BAXO.user, credentialsRef: ref });
    expect(baxoAccount.tags).toEqual([
      { contractId: expect.any(String), deviceId: '14587', tagReference: 'HUM', as: 'humidity' },
      { contractId: expect.any(String), deviceId: '14587', tagReference: 'DOOR', as: 'contact' },
    ]);
    const text = readFileSync(ui.configPath, 'utf8');
    for (const secret of [OVERKIZ.password, HARMONYS_KEY, BAXO.password]) expect(text).not.toContain(secret);
    const secrets = join(ui.storage, 'building-hub', 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    // What the plugin reads at its next start: every account complete, the secrets from the store.
    const parsed = parseConfig(saved, undefined, new SecretStore(ui.storage, new CapturedLog()));
    expect(parsed.problems).toEqual([]);
    expect(parsed.accounts.map((a) => a.vendor.configKey)).toEqual(['overkiz', 'harmonys', 'baxo']);
    expect(parsed.accounts[0].account).toMatchObject({ password: OVERKIZ.password });
  });

  it('a Harmonys gateway with a self-signed certificate: its fingerprint is shown, trusted only when confirmed', async () => {
    const cert = selfSigned();
    const gateway = new HarmonysSimulator({ ...demoHarmonys(HARMONYS_KEY), tls: cert });
    const url = await gateway.start();
    try {
      await page.reload();
      const frame = await openSettings();
      const account = await addAccount(frame, 'harmonys', /Add a Harmonys account/);
      await account.getByLabel('API base URL').fill(url);
      await account.getByLabel('API base URL').blur();
      await account.getByLabel('API key').fill(HARMONYS_KEY);
      await account.getByLabel('API key').blur();
      await account.getByRole('button', { name: 'Test connection' }).click();
      const status = account.getByRole('status');
      await status.filter({ hasText: /not trusted/ }).waitFor({ timeout: 20_000 });
      expect(await status.textContent()).toContain(cert.fingerprint);
      await shot('6-harmonys-fingerprint');
      expect(gateway.server.requests).toHaveLength(0); // nothing was sent to an unconfirmed server
      await account.getByRole('button', { name: 'Trust this certificate' }).click();
      const again = section(frame, 'harmonys').locator('.bh-account').last();
      await again.getByRole('button', { name: 'Test connection' }).click();
      await again
        .getByRole('status')
        .filter({ hasText: /^Logged in to Harmonys/ })
        .waitFor({ timeout: 20_000 });
      const isTrusted = (a: Record<string, unknown>) => a.baseUrl === url && typeof a.certificateFingerprint === 'string';
      await save((b) => Array.isArray(b.harmonys) && b.harmonys.some(isTrusted));
      const trusted = (block()!.harmonys as Array<Record<string, unknown>>).find(isTrusted);
      expect(trusted).toMatchObject({ baseUrl: url, certificateFingerprint: cert.fingerprint });
    } finally {
      await gateway.stop();
    }
  });

  it('reopened: the password fields are empty and say a password is saved; the page holds no secret', async () => {
    await page.reload();
    const frame = await openSettings();
    const overkiz = section(frame, 'overkiz').locator('.bh-account').first();
    const password = overkiz.getByLabel('Password', { exact: true });
    await password.waitFor();
    expect(await password.inputValue()).toBe('');
    expect(await password.getAttribute('placeholder')).toMatch(/^Saved/);
    const html = await frame.locator('body').innerHTML();
    for (const secret of [OVERKIZ.password, HARMONYS_KEY, BAXO.password]) expect(html).not.toContain(secret);
    // The browser itself never received them: the config config-ui-x hands the page has none.
    const config = await frame
      .locator('body')
      .evaluate(() => (globalThis as unknown as { homebridge: { getPluginConfig(): Promise<unknown> } }).homebridge.getPluginConfig());
    for (const secret of [OVERKIZ.password, HARMONYS_KEY, BAXO.password]) expect(JSON.stringify(config)).not.toContain(secret);
    await shot('5-reopened');
  });
});
