'use strict';
// Memory and CPU of the plugin: a real Homebridge with 8 and with 149 Overkiz covers (HAP; 149 is the most one HomeKit
// bridge takes, so "150 devices" is 149 here), a HAP controller subscribed to every position; and 1,000 covers at
// integration level (a process running only the plugin's Overkiz integration, bench/integration.js). Used by run.js.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { HttpClient } = require('hap-controller');
const { OverkizSimulator, demoCovers } = require('../dist/simulators/overkiz');

const { freePort, idleWindows, outside, pause, startHomebridge, stats, until } = require('./util');

const MB = 1024 * 1024;
const round = (v, d = 1) => Number(v.toFixed(d));

/**
 * One Homebridge with `n` covers: start-up, memory 60 s after the start, idle CPU over a minute, then 1,000 changes.
 * `plugin` is this plugin (true) or another build's directory; `id` tells apart bridges that run side by side.
 */
async function coversRun(n, { changes, plugin = true, id = n % 100 }) {
  const sim = new OverkizSimulator(demoCovers(n, 'bench@example.org', 'bench-pass'));
  await sim.start();
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), `bhub-bench-res${n}-`));
  const port = await freePort();
  const username = `0E:44:44:44:${String(id).padStart(2, '0')}:44`;
  const bridge = { name: `Bench ${n}`, username, port, pin: '031-45-154', bind: ['lo'], advertiser: 'ciao' };
  const account = { label: 'Building', server: 'custom', baseUrl: sim.url, username: 'bench@example.org', password: 'bench-pass' };
  const platform = { platform: 'BuildingHub', overkiz: [account] };
  fs.writeFileSync(path.join(storage, 'config.json'), JSON.stringify({ bridge, accessories: [], platforms: [platform] }));
  const spawnedAt = performance.now();
  const homebridge = startHomebridge(storage, { plugin, probe: true });
  const client = new HttpClient(username, '127.0.0.1', port, undefined, { usePersistentConnections: true });
  const last = `Shutter ${String(n).padStart(3, '0')}: added`;
  try {
    await until(() => homebridge.output().includes(last) && /is running on port/.test(homebridge.output()), 60_000, 'no start');
    const startupToPublishedMs = Math.round(performance.now() - spawnedAt);
    await client.pairSetup('031-45-154');
    const { accessories } = await client.getAccessories();
    const positions = accessories.flatMap((a) =>
      a.services.flatMap((s) => s.characteristics.filter((c) => /^(0000006D-|6D$)/i.test(c.type)).map((c) => `${a.aid}.${c.iid}`)),
    );
    let events = 0;
    client.on('event', (e) => (events += e.characteristics.length));
    await client.subscribeCharacteristics(positions);
    await pause(Math.max(0, 60_000 - (performance.now() - spawnedAt)));
    const idle = await idleWindows(homebridge);
    const out = {
      devices: n,
      startupToPublishedMs,
      rssMb: idle.rssMb,
      heapMb: idle.heapMb,
      idleCpuMsPerMinute: idle.idleCpuMsPerMinute,
    };
    if (changes) {
      // Four batches of 250 changes, each measured (and scaled to 1,000) on its own: the spread between batches.
      const urls = sim.opts.devices.map((d) => d.deviceURL);
      const eventsBefore = events;
      const perThousand = [];
      let before = outside(homebridge.child.pid);
      for (let batch = 0; batch < 4; batch++) {
        for (let i = batch * 250; i < (batch + 1) * 250; i++) {
          sim.setState(urls[i % urls.length], 'core:ClosureState', (i * 37) % 101);
          await pause(20);
        }
        await pause(3000);
        const after = outside(homebridge.child.pid);
        perThousand.push((after.cpuMs - before.cpuMs) * 4);
        before = after;
      }
      out.cpuMsPer1000Changes = stats(perThousand, 0);
      out.hapEventsFor1000Changes = events - eventsBefore;
      // RSS right after the changes: the young generation they grew is still there (version 0.1: 120 MB idle, 145 here).
      out.rssAfterChangesMb = round(outside(homebridge.child.pid).rssMb);
    }
    return out;
  } finally {
    await client.close().catch(() => undefined);
    await homebridge.stop();
    await sim.stop();
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

/** The same Homebridge with no plugin, measured the same way beside the others: the machine's own share. */
async function emptyRun(id = 0) {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'bhub-bench-res0-'));
  const bridge = {
    name: 'Empty',
    username: `0E:44:44:44:${String(id).padStart(2, '0')}:44`,
    port: await freePort(),
    pin: '031-45-154',
    bind: ['lo'],
    advertiser: 'ciao',
  };
  fs.writeFileSync(path.join(storage, 'config.json'), JSON.stringify({ bridge, accessories: [], platforms: [] }));
  const spawnedAt = performance.now();
  const homebridge = startHomebridge(storage, { plugin: false, probe: true });
  try {
    await until(() => /is running on port/.test(homebridge.output()), 60_000, 'no start');
    const startupMs = Math.round(performance.now() - spawnedAt);
    await pause(Math.max(0, 60_000 - (performance.now() - spawnedAt)));
    const idle = await idleWindows(homebridge);
    return { startupMs, rssMb: idle.rssMb, heapMb: idle.heapMb, idleCpuMsPerMinute: idle.idleCpuMsPerMinute };
  } finally {
    await homebridge.stop();
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

/** 1,000 covers read by the plugin's Overkiz integration alone, in a process of its own (bench/integration.js). */
async function integrationRun(n) {
  const sim = new OverkizSimulator(demoCovers(n, 'bench@example.org', 'bench-pass'));
  await sim.start();
  try {
    const child = fork(path.join(__dirname, 'integration.js'), [sim.url, String(n)], { execArgv: ['--expose-gc'], stdio: 'inherit' });
    const reply = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`integration bench exited with ${code}`)));
    });
    child.kill();
    const mb = (list) => stats(list.map((v) => v / MB));
    return { devices: n, published: reply.devices, rssMb: mb(reply.rss), heapMb: mb(reply.heapUsed) };
  } finally {
    await sim.stop();
  }
}

async function resourcesBench() {
  // The three Homebridges run side by side (each process measures its own CPU); the integration run comes after.
  const [empty, small, large] = await Promise.all([emptyRun(), coversRun(8, { changes: false }), coversRun(149, { changes: true })]);
  const integration = await integrationRun(1000);
  return {
    rssMb: { 8: small.rssMb, 149: large.rssMb, 1000: integration.rssMb },
    heapMb: { 8: small.heapMb, 149: large.heapMb, 1000: integration.heapMb },
    startupToPublishedMs149: large.startupToPublishedMs,
    idleCpuMsPerMinute: { 8: small.idleCpuMsPerMinute, 149: large.idleCpuMsPerMinute },
    cpuMsPer1000Changes: large.cpuMsPer1000Changes,
    hapEventsFor1000Changes: large.hapEventsFor1000Changes,
    rssAfterChangesMb149: large.rssAfterChangesMb,
    integration1000: integration,
    emptyHomebridge: empty,
    ratioToEmpty: {
      startup149: round(large.startupToPublishedMs / empty.startupMs, 2),
      rss8: round(small.rssMb.p50 / empty.rssMb.p50, 2),
      idleCpu8: round(small.idleCpuMsPerMinute.p50 / Math.max(1, empty.idleCpuMsPerMinute.p50), 2),
      // What the plugin adds to the Homebridge beside it (medians): the figures to compare across machines.
      addedRssMb8: round(small.rssMb.p50 - empty.rssMb.p50),
      addedIdleCpuMsPerMinute8: Math.round(small.idleCpuMsPerMinute.p50 - empty.idleCpuMsPerMinute.p50),
    },
  };
}

module.exports = { resourcesBench, coversRun, emptyRun };
