import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../e2e/harness';
import { NODE22 } from '../helpers/homebridge2';

export { NODE22 };

const ROOT = resolve(__dirname, '../..');

const STANDALONE = join(ROOT, '.cache/config-ui-x/node_modules/homebridge-config-ui-x/dist/bin/standalone.js');

export interface ConfigUi {
  url: string;
  storage: string;
  configPath: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A real homebridge-config-ui-x 5.28 (standalone, on loopback, node 22 from scripts/install-ui-test.sh) with this
 * plugin installed in a custom plugin path (a symlink to the checkout), and its first admin user made.
 */
export async function startConfigUi(dir: string): Promise<ConfigUi> {
  if (!existsSync(STANDALONE) || !existsSync(NODE22)) throw new Error('run scripts/install-ui-test.sh first (npm run test:ui does)');
  const storage = join(dir, 'storage');
  const plugins = join(dir, 'plugins');
  mkdirSync(storage, { recursive: true });
  mkdirSync(plugins, { recursive: true });
  symlinkSync(ROOT, join(plugins, 'homebridge-building-hub'));
  const port = await freePort();
  const configPath = join(storage, 'config.json');
  const bridge = { name: 'UI test', username: '0E:42:42:42:42:42', port: await freePort(), pin: '031-45-154' };
  const ui = { platform: 'config', name: 'Config', port, host: '127.0.0.1', auth: 'none' };
  writeFileSync(configPath, JSON.stringify({ bridge, accessories: [], platforms: [ui] }, null, 2));
  let out = '';
  const child: ChildProcess = spawn(NODE22, [STANDALONE, '-U', storage, '-P', plugins], {
    cwd: dir,
    env: { ...process.env, UIX_STRICT_PLUGIN_RESOLUTION: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`config-ui-x exited: ${out.slice(-2000)}`);
      if (/listening on 127\.0\.0\.1 port/.test(out)) break;
      if (Date.now() > deadline) throw new Error(`config-ui-x did not start: ${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const user = { username: 'admin', name: 'Admin', password: 'ui-test-admin-1', admin: true };
    const createUser = () =>
      fetch(`${url}/api/setup-wizard/create-first-user`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(user),
      });
    // It logs "listening" a moment before the socket accepts.
    let res: Response | undefined;
    while (!res) {
      res = await createUser().catch(async (err: unknown) => {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
        return undefined;
      });
    }
    if (!res.ok) throw new Error(`first user: HTTP ${res.status} ${await res.text()}`);
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}; config-ui-x said: ${out.slice(-3000)}`);
  }
  return { url, storage, configPath, output: () => out, stop };
}
