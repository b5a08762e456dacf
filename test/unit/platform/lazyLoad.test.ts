import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..', '..', 'dist');

/**
 * What Homebridge holds in memory: it requires the plugin's entry (dist/index.js, built by `npm test`) in a process of
 * its own, so the check runs in a fresh node, not in Jest's module registry.
 */
function loadedAfter(script: string): string[] {
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, DIST } });
  return JSON.parse(out) as string[];
}

const LIST = `process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.startsWith(process.env.DIST))
  .map((f) => f.slice(process.env.DIST.length + 1))))`;

describe('code a bridge does not use is not loaded', () => {
  it("loading the plugin holds no vendor's integration and no Matter code", () => {
    const loaded = loadedAfter(`require(process.env.DIST + '/index.js'); ${LIST}`);
    expect(loaded).toContain('platform.js');
    expect(loaded).toContain('integrations/festime/account.js');
    expect(loaded.filter((f) => /^integrations\/[^/]+\/integration\.js$/.test(f))).toEqual([]);
    expect(loaded.filter((f) => f.startsWith('matter/'))).toEqual([]);
  });

  it("an account's integration is loaded when that account is made, and only that vendor's", () => {
    const storage = mkdtempSync(join(tmpdir(), 'bhub-lazy-'));
    try {
      const loaded = loadedAfter(`(async () => {
        const { VENDORS } = require(process.env.DIST + '/integrations/index.js');
        const festime = VENDORS.find((v) => v.configKey === 'festime');
        const account = festime.schema.parse({ login: 'me', password: 'secret' });
        const log = { info() {}, warn() {}, error() {}, debug() {} };
        const integration = festime.create(account, { log, clock: undefined, storagePath: ${JSON.stringify(storage)} });
        if (integration.vendor !== 'Festime') throw new Error('not the Festime integration');
        ${LIST};
      })()`);
      expect(loaded).toContain('integrations/festime/integration.js');
      expect(loaded.filter((f) => /^integrations\/(overkiz|baxo|harmonys|homesmartlink)\/integration\.js$/.test(f))).toEqual([]);
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  });
});
