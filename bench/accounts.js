'use strict';
// Many accounts in one real Homebridge (Overkiz accounts whose server refuses every connection): how long start-up
// takes to the bridge being published, the longest event-loop delay meanwhile and over the next 20 s, and the RSS,
// beside the same Homebridge with no account.
// Used by run.js.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort, pause, startHomebridge, until } = require('./util');

async function accountsRun(n) {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), `bhub-bench-acc${n}-`));
  const refused = await freePort();
  const overkiz = Array.from({ length: n }, (_, i) => ({
    label: `Site ${i}`,
    server: 'custom',
    baseUrl: `https://127.0.0.1:${refused}/s${i}`,
    username: `u${i}@example.org`,
    password: 'bench-pass',
  }));
  const bridge = {
    name: `Accounts ${n}`,
    username: '0E:44:44:45:00:44',
    port: await freePort(),
    pin: '031-45-154',
    bind: ['lo'],
    advertiser: 'ciao',
  };
  const platform = { platform: 'BuildingHub', overkiz };
  fs.writeFileSync(path.join(storage, 'config.json'), JSON.stringify({ bridge, accessories: [], platforms: [platform] }));
  const spawnedAt = performance.now();
  const homebridge = startHomebridge(storage, { probe: true, lag: true });
  try {
    await until(() => /is running on port/.test(homebridge.output()), 120_000, 'no start');
    const startupMs = Math.round(performance.now() - spawnedAt);
    const atStart = await homebridge.sample();
    await pause(20_000);
    const after = await homebridge.sample();
    return {
      accounts: n,
      startupToRunningMs: startupMs,
      lagMaxMsToRunning: atStart.lagMs.max,
      lagMsNext20s: after.lagMs,
      rssMb: Math.round(after.rss / 1024 / 1024),
    };
  } finally {
    await homebridge.stop(10_000);
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

/** No account (the plugin loaded, nothing configured): Homebridge's own start-up delays, to compare with. */
async function accountsBench() {
  return { 0: await accountsRun(0), 10000: await accountsRun(10_000) };
}

module.exports = { accountsBench };
