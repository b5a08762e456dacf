'use strict';
// Forked by resources.js: the plugin's Overkiz integration alone against a simulator of `n` covers (argv), in a
// process of its own so that its memory is the plugin's. Sends {devices, rss[], heapUsed[]}: five samples, 4 s apart.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { VENDORS } = require('../dist/integrations');
const { systemClock } = require('../dist/core/clock');

(async () => {
  const [url, n] = process.argv.slice(2);
  const storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'bhub-bench-int-'));
  const vendor = VENDORS.find((v) => v.configKey === 'overkiz');
  const account = vendor.schema.parse({ server: 'custom', baseUrl: url, username: 'bench@example.org', password: 'bench-pass' });
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const integration = vendor.create(account, { log: quiet, clock: systemClock, storagePath });
  const abort = new AbortController();
  integration.onChange(() => undefined);
  await integration.start(abort.signal);
  for (let i = 0; i < 300 && integration.devices().length < Number(n); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 20_000));
  const rss = [];
  const heapUsed = [];
  for (let i = 0; i < 5; i++) {
    if (i) await new Promise((r) => setTimeout(r, 4_000));
    global.gc();
    const m = process.memoryUsage();
    rss.push(m.rss);
    heapUsed.push(m.heapUsed);
  }
  process.send({ devices: integration.devices().length, rss, heapUsed });
  abort.abort();
  fs.rmSync(storagePath, { recursive: true, force: true });
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
