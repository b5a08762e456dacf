'use strict';
// Figures users feel, through a real Homebridge and a HAP controller (loopback only): HAP write -> HAP answer,
// and how many /exec/apply separate writes end in. Used by bench/run.js.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { HttpClient } = require('hap-controller');
const { OverkizSimulator, demoOverkiz } = require('../dist/simulators/overkiz');

const { freePort, pause, startHomebridge } = require('./util');

const PIN = '031-45-154';

async function until(cond, ms, why) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(why);
    await pause(20);
  }
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1));
}

function charIdOf(accessories, name, shortType) {
  for (const acc of accessories) {
    for (const svc of acc.services) {
      const n = svc.characteristics.find((c) => /^(00000023-|23$)/i.test(c.type))?.value;
      const ch = svc.characteristics.find((c) => new RegExp(`^(${shortType.padStart(8, '0')}-|${shortType}$)`, 'i').test(c.type));
      if (n === name && ch) return `${acc.aid}.${ch.iid}`;
    }
  }
  throw new Error(`no ${name}`);
}

async function hapBench() {
  // The gateway's execution quota is not what is measured here: batching is.
  const sim = new OverkizSimulator({ ...demoOverkiz('bench@example.org', 'bench-pass'), execQueueSize: 1000 });
  await sim.start();
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'bhub-bench-hap-'));
  const port = await freePort();
  const username = '0E:42:42:42:42:42';
  const bridge = { name: 'Bench', username, port, pin: PIN, bind: ['lo'], advertiser: 'ciao' };
  const platform = {
    platform: 'BuildingHub',
    overkiz: [{ label: 'House', server: 'custom', baseUrl: sim.url, username: 'bench@example.org', password: 'bench-pass' }],
  };
  fs.writeFileSync(path.join(storage, 'config.json'), JSON.stringify({ bridge, accessories: [], platforms: [platform] }));
  const spawnedAt = performance.now();
  const homebridge = startHomebridge(storage);
  const client = new HttpClient(username, '127.0.0.1', port, undefined, { usePersistentConnections: true });
  let result;
  try {
    await until(
      () => /Laundry leak: added/.test(homebridge.output()) && /is running on port/.test(homebridge.output()),
      30_000,
      `Homebridge did not start:\n${homebridge.output()}`,
    );
    const startupToPublishedMs = performance.now() - spawnedAt;
    await client.pairSetup(PIN);
    const { accessories } = await client.getAccessories();
    const rooms = ['Kitchen', 'Living room', 'Dining room', 'Office', 'Bedroom 1'];
    const targets = rooms.map((r) => charIdOf(accessories, `${r} shutter`, '7C'));
    const execs = () => sim.server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/exec/apply')).length;
    const settle = async () => {
      await pause(1500);
    };

    // External change (a wall switch) -> HAP event on a subscribed connection: idle first (no command of ours for
    // a minute: the idle interval applies), then right after a write (events read every second).
    const office = sim.opts.devices.find((d) => d.label === 'Office shutter').deviceURL;
    const current = charIdOf(accessories, 'Office shutter', '6D');
    const watcher = new HttpClient(username, '127.0.0.1', port, client.getLongTermData(), { usePersistentConnections: true });
    const events = [];
    watcher.on('event', (e) => events.push(...e.characteristics.map((c) => ({ ...c, at: performance.now() }))));
    await watcher.subscribeCharacteristics([current]);
    const [aid, iid] = current.split('.').map(Number);
    const changeToEvent = async (closure) => {
      const t0 = performance.now();
      sim.setState(office, 'core:ClosureState', closure);
      await until(() => events.some((e) => e.aid === aid && e.iid === iid && e.value === 100 - closure && e.at >= t0), 15_000, 'no event');
      return performance.now() - t0;
    };
    const idleMs = [];
    for (let i = 0; i < 8; i++) {
      idleMs.push(await changeToEvent(i % 2 ? 20 : 60));
      await pause(700 + Math.random() * 2000);
    }
    const busyMs = [];
    for (let i = 0; i < 8; i++) {
      await client.setCharacteristics({ [targets[4]]: i % 2 ? 20 : 80 });
      await pause(300 + Math.random() * 700);
      busyMs.push(await changeToEvent(i % 2 ? 30 : 50));
    }
    await watcher.unsubscribeCharacteristics().catch(() => undefined);
    await watcher.close().catch(() => undefined);
    const spread = (v) => ({ p50: percentile(v, 50), p95: percentile(v, 95), samples: v.length });

    const answerMs = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await client.setCharacteristics({ [targets[0]]: i % 2 ? 30 : 70 });
      answerMs.push(performance.now() - t0);
      await pause(300);
    }
    await settle();

    let before = execs();
    await Promise.all(targets.map((id, i) => client.setCharacteristics({ [id]: 10 + i })));
    await settle();
    const execsFor5SeparateWrites = execs() - before;

    before = execs();
    await client.setCharacteristics(Object.fromEntries(targets.map((id, i) => [id, 40 + i])));
    await settle();
    const execsForOnePut5 = execs() - before;

    before = execs();
    const cancelsBefore = sim.cancelled.length;
    for (let i = 0; i < 10; i++) {
      await client.setCharacteristics({ [targets[1]]: i * 10 });
      await pause(50);
    }
    await settle();
    const readMs = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await client.getCharacteristics([current]);
      readMs.push(performance.now() - t0);
    }
    result = {
      startupToPublishedMs: Math.round(startupToPublishedMs),
      hapReadMs: { p50: percentile(readMs, 50), p99: percentile(readMs, 99), samples: readMs.length },
      writeToHapAnswerMs: { p50: percentile(answerMs, 50), p95: percentile(answerMs, 95), samples: answerMs.length },
      execsFor5SeparateWrites,
      execsForOnePut5,
      execsForSliderDrag10: execs() - before,
      cancelsForSliderDrag10: sim.cancelled.length - cancelsBefore,
      externalChangeToHapEventMs: { cloudIdle: spread(idleMs), cloudBusy: spread(busyMs) },
    };
  } finally {
    await client.close().catch(() => undefined);
    const shutdownMs = await homebridge.stop();
    if (result) result.shutdownMs = Math.round(shutdownMs);
    await sim.stop();
    fs.rmSync(storage, { recursive: true, force: true });
  }
  const baseline = await baselineStartupMs();
  return { ...result, baselineStartupMs: baseline, startupRatioToBaseline: Number((result.startupToPublishedMs / baseline).toFixed(2)) };
}

/** The same Homebridge with no platform: what start-up costs without the plugin (the ratio hides the machine's speed). */
async function baselineStartupMs() {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'bhub-bench-base-'));
  const port = await freePort();
  const bridge = { name: 'Baseline', username: '0E:43:43:43:43:43', port, pin: PIN, bind: ['lo'], advertiser: 'ciao' };
  fs.writeFileSync(path.join(storage, 'config.json'), JSON.stringify({ bridge, accessories: [], platforms: [] }));
  const t0 = performance.now();
  const homebridge = startHomebridge(storage, { plugin: false });
  try {
    const out = homebridge.output;
    await until(() => /is running on port/.test(out()), 30_000, `baseline Homebridge did not start:\n${out()}`);
    return Math.round(performance.now() - t0);
  } finally {
    await homebridge.stop();
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

module.exports = { hapBench };
