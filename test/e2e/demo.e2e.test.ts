import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bridge, freePort, killAll, ROOT, waitFor } from './harness';

jest.setTimeout(60_000);

afterAll(() => killAll());

describe('npm start (demo mode) and a bare platform block, on a real Homebridge', () => {
  it('the demo script reaches "is running on port" and publishes the simulated building', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'bhub-demo-'));
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start-demo.js')], {
      env: { ...process.env, DEMO_STORAGE: storage, DEMO_PORT: String(port), DEMO_LOOPBACK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    child.stderr.on('data', (d) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await waitFor(
        () => /is running on port/.test(out),
        30_000,
        () => child.exitCode !== null,
        () => out,
      );
      expect(out).toContain('031-45-154');
      await waitFor(
        () => /Infirmary: added/.test(out),
        30_000,
        () => child.exitCode !== null,
        () => out,
      );
      expect(out).toMatch(/Demo mode: simulated vendor services/);
      expect(out).not.toMatch(/TypeError|ReferenceError|Unhandled/);
      // no debug lines by default (npm run start:debug has them)
      expect(out).not.toMatch(/\[Overkiz\] Demo house: logged in/);
    } finally {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      rmSync(storage, { recursive: true, force: true });
    }
  });

  it('a platform block with no account starts, says how to configure it, and publishes nothing', async () => {
    const bridge = await Bridge.create({ platforms: [{ platform: 'BuildingHub', name: 'Building Hub' }] });
    try {
      await bridge.start();
      await bridge.waitForLog(/No account is configured/);
      expect(bridge.output).not.toMatch(/added \(|TypeError|ReferenceError/);
      expect(await bridge.stop()).toBeLessThan(2000);
    } finally {
      await bridge.dispose();
    }
  });
});
