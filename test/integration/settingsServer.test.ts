import { fork } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../helpers/tempDir';

/** homebridge-ui/server.js as homebridge-config-ui-x runs it: a child process spoken to over IPC. */
describe('homebridge-ui/server.js', () => {
  it('answers the page requests with the plugin handlers, and a refused request with its message', async () => {
    const storage = tempDir('ui-server');
    const child = fork(join(__dirname, '../../homebridge-ui/server.js'), [], {
      env: { ...process.env, HOMEBRIDGE_STORAGE_PATH: storage, HOMEBRIDGE_CONFIG_PATH: join(storage, 'config.json') },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    type Message = { action: string; payload: { requestId?: number; success?: boolean; data?: unknown; server?: boolean } };
    const messages: Message[] = [];
    const waitFor = (pred: (m: Message) => boolean) =>
      new Promise<Message>((resolve, reject) => {
        const seen = messages.find(pred);
        if (seen) return resolve(seen);
        const timer = setTimeout(() => reject(new Error('no answer from the settings server')), 10_000);
        child.on('message', (m: Message) => {
          if (!pred(m)) return;
          clearTimeout(timer);
          resolve(m);
        });
      });
    child.on('message', (m: Message) => messages.push(m));
    try {
      await waitFor((m) => m.action === 'ready');
      child.send({ action: 'request', requestId: 1, path: '/vendors', body: {} });
      const vendors = await waitFor((m) => m.payload.requestId === 1);
      expect(vendors.payload.success).toBe(true);
      expect(vendors.payload.data).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ configKey: 'harmonys', secretFields: ['apiKey'], requiredFields: ['baseUrl', 'apiKey'] }),
          expect.objectContaining({ configKey: 'baxo', requiredFields: ['username', 'password', 'tags'] }),
        ]),
      );
      child.send({ action: 'request', requestId: 2, path: '/secrets/save', body: { configKey: 'festime', values: { login: 'x' } } });
      const refused = await waitFor((m) => m.payload.requestId === 2);
      expect(refused.payload).toMatchObject({ success: false, data: { message: 'bad request: login is not a secret of festime' } });
    } finally {
      child.kill();
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    }
  });
});
