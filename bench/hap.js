'use strict';
// Figures users feel, through a real Homebridge and a HAP controller (loopback only), with every vendor's simulator
// behind one platform: write -> answer and -> vendor, batching, external change -> HAP event (cloud idle, busy,
// local gateway), recovery after a lost listener, an ended session and a 60 s outage, idle requests per vendor,
// reads, start-up against an empty Homebridge, shutdown. Used by bench/run.js.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { HttpClient } = require('hap-controller');
const { OverkizSimulator, demoOverkiz, demoCovers } = require('../dist/simulators/overkiz');
const { HomeSmartlinkSimulator, demoHomes } = require('../dist/simulators/homesmartlink');
const { VENDORS } = require('../dist/integrations');

const { freePort, pause, selfSigned, spread, startHomebridge, until } = require('./util');

const PIN = '031-45-154';
const IDLE_WINDOW_MS = 60_000;

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

/** Every vendor's simulator, and the platform block that points at them. */
async function startVendors() {
  // The gateway's execution quota is not what is measured here: batching is.
  const cloud = new OverkizSimulator({ ...demoOverkiz('bench@example.org', 'bench-pass'), execQueueSize: 1000 });
  const cert = selfSigned();
  const local = new OverkizSimulator({ ...demoCovers(8, 'bench@example.org', 'bench-pass'), localTls: cert, bearer: 'bench-local-token' });
  const hsl = new HomeSmartlinkSimulator({ clientId: 'bench-partner', clientSecret: 'bench-secret', homes: demoHomes() });
  await Promise.all([cloud.start(), local.start(), hsl.start()]);
  const others = {};
  for (const key of ['harmonys', 'baxo', 'festime']) others[key] = await VENDORS.find((v) => v.configKey === key).demo();
  const platform = {
    platform: 'BuildingHub',
    overkiz: [
      { label: 'House', server: 'custom', baseUrl: cloud.url, username: 'bench@example.org', password: 'bench-pass' },
      { label: 'Gateway', server: 'custom', baseUrl: local.url, token: 'bench-local-token', certificateFingerprint: cert.fingerprint },
    ],
    homesmartlink: [
      {
        label: 'School',
        baseUrl: hsl.url,
        clientId: 'bench-partner',
        clientSecret: 'bench-secret',
        homeIds: ['school-main', 'school-annex'],
        // its minimum: the default 120 s cycle does not fit the idle minute
        pollIntervalSeconds: 30,
      },
    ],
    harmonys: [others.harmonys.account],
    baxo: [others.baxo.account],
    festime: [others.festime.account],
  };
  const requests = {
    overkizCloud: () => cloud.server.requests.length,
    overkizLocal: () => local.server.requests.length,
    homesmartlink: () => hsl.server.requests.length,
    harmonys: () => others.harmonys.requests(),
    baxo: () => others.baxo.requests(),
    festime: () => others.festime.requests(),
  };
  const stop = async () => {
    await Promise.all([cloud.stop(), local.stop(), hsl.stop(), ...Object.values(others).map((d) => d.stop())]);
  };
  return { cloud, local, hsl, platform, requests, stop };
}

/** The interval each vendor polls at while nobody acts (the cycle `requestsPerCycle` divides by), seconds. */
function idleIntervals(platform) {
  const parse = (key, account) => VENDORS.find((v) => v.configKey === key).schema.parse(account);
  const [cloud, local] = platform.overkiz.map((a) => parse('overkiz', a));
  return {
    overkizCloud: cloud.idlePollSeconds,
    overkizLocal: local.pollIntervalSeconds, // a local gateway has no quota: it is read at the active interval
    homesmartlink: parse('homesmartlink', platform.homesmartlink[0]).pollIntervalSeconds,
    harmonys: parse('harmonys', platform.harmonys[0]).pollIntervalSeconds,
    baxo: parse('baxo', platform.baxo[0]).pollIntervalSeconds,
    festime: parse('festime', platform.festime[0]).pollIntervalSeconds,
  };
}

async function hapBench() {
  const vendors = await startVendors();
  const { cloud, local, hsl } = vendors;
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'bhub-bench-hap-'));
  const port = await freePort();
  const username = '0E:42:42:42:42:42';
  const bridge = { name: 'Bench', username, port, pin: PIN, bind: ['lo'], advertiser: 'ciao' };
  fs.writeFileSync(path.join(storage, 'config.json'), JSON.stringify({ bridge, accessories: [], platforms: [vendors.platform] }));
  const spawnedAt = performance.now();
  const homebridge = startHomebridge(storage, { probe: true });
  const client = new HttpClient(username, '127.0.0.1', port, undefined, { usePersistentConnections: true });
  let result;
  try {
    const out = homebridge.output;
    const ready = [/Laundry leak: added/, /Shutter 008: added/, /Reception: added/, /is running on port/];
    await until(() => ready.every((re) => re.test(out())), 40_000, `Homebridge did not start:\n${out()}`);
    const startupToPublishedMs = performance.now() - spawnedAt;
    await client.pairSetup(PIN);
    const { accessories } = await client.getAccessories();

    // Idle: nobody acts for a minute. Requests per vendor, per day and per poll cycle.
    await pause(5000);
    const counts0 = Object.fromEntries(Object.entries(vendors.requests).map(([k, f]) => [k, f()]));
    const t0 = performance.now();
    await pause(IDLE_WINDOW_MS);
    const windowS = (performance.now() - t0) / 1000;
    const intervals = idleIntervals(vendors.platform);
    const idleRequestsPerDay = {};
    const requestsPerCycle = {};
    for (const [k, f] of Object.entries(vendors.requests)) {
      const n = f() - counts0[k];
      idleRequestsPerDay[k] = Math.round((n * 86_400) / windowS);
      requestsPerCycle[k] = Number((n / (windowS / intervals[k])).toFixed(2));
    }

    const rooms = ['Kitchen', 'Living room', 'Dining room', 'Office', 'Bedroom 1'];
    const targets = rooms.map((r) => charIdOf(accessories, `${r} shutter`, '7C'));
    const execs = () => cloud.server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/exec/apply')).length;
    const settle = () => pause(1500);

    // External change (a wall switch) -> HAP event on a subscribed connection: idle first (no command of ours for
    // a minute: the idle interval applies), then right after a write (events read every second), then on the local
    // gateway; then after the server dropped our listener, after it ended our session, and after a 60 s outage.
    const watcher = new HttpClient(username, '127.0.0.1', port, client.getLongTermData(), { usePersistentConnections: true });
    const events = [];
    watcher.on('event', (e) => events.push(...e.characteristics.map((c) => ({ ...c, at: performance.now() }))));
    const watch = (sim, label) => ({
      sim,
      url: sim.opts.devices.find((d) => d.label === label).deviceURL,
      id: charIdOf(accessories, label, '6D'),
    });
    const office = watch(cloud, 'Office shutter');
    const gateway = watch(local, 'Shutter 003');
    await watcher.subscribeCharacteristics([office.id, gateway.id]);
    const changeToEvent = async (target, closure, before = () => undefined) => {
      const [aid, iid] = target.id.split('.').map(Number);
      await before();
      const start = performance.now();
      target.sim.setState(target.url, 'core:ClosureState', closure);
      await until(
        () => events.some((e) => e.aid === aid && e.iid === iid && e.value === 100 - closure && e.at >= start),
        90_000,
        'no event',
      );
      return performance.now() - start;
    };
    const idleMs = [];
    for (let i = 0; i < 8; i++) {
      idleMs.push(await changeToEvent(office, i % 2 ? 20 : 60));
      await pause(700 + Math.random() * 2000);
    }
    const busyMs = [];
    for (let i = 0; i < 8; i++) {
      await client.setCharacteristics({ [targets[4]]: i % 2 ? 20 : 80 });
      await pause(300 + Math.random() * 700);
      busyMs.push(await changeToEvent(office, i % 2 ? 30 : 50));
    }
    const localMs = [];
    for (let i = 0; i < 8; i++) {
      localMs.push(await changeToEvent(gateway, i % 2 ? 25 : 65));
      await pause(300 + Math.random() * 700);
    }
    const listenerLostMs = [];
    const sessionExpiredMs = [];
    for (let i = 0; i < 3; i++) {
      listenerLostMs.push(await changeToEvent(office, i % 2 ? 35 : 45, () => cloud.dropListeners()));
      await pause(1000);
      sessionExpiredMs.push(await changeToEvent(office, i % 2 ? 15 : 85, () => cloud.expireSessions()));
      await pause(1000);
    }
    cloud.server.injectFault(1e9, { reset: true });
    await pause(60_000);
    const outageMs = await changeToEvent(office, 55, () => cloud.server.clearFaults());
    await watcher.unsubscribeCharacteristics().catch(() => undefined);
    await watcher.close().catch(() => undefined);
    await settle();

    // HAP write -> HAP answer, and -> the vendor's request: a cover (/exec/apply) and a heater (/derogations).
    const answerMs = [];
    const toVendorMs = [];
    for (let i = 0; i < 20; i++) {
      const before = execs();
      const start = performance.now();
      await client.setCharacteristics({ [targets[0]]: i % 2 ? 30 : 70 });
      answerMs.push(performance.now() - start);
      await until(() => execs() > before, 5000, 'no /exec/apply');
      toVendorMs.push(performance.now() - start);
      await pause(300);
    }
    const derogations = () => hsl.server.requests.filter((r) => r.path.endsWith('/derogations')).length;
    const heater = charIdOf(accessories, 'Reception', '35');
    const hslAnswerMs = [];
    const hslToVendorMs = [];
    for (let i = 0; i < 10; i++) {
      const before = derogations();
      const start = performance.now();
      await client.setCharacteristics({ [heater]: i % 2 ? 19 : 21 });
      hslAnswerMs.push(performance.now() - start);
      await until(() => derogations() > before, 10_000, 'no /derogations');
      hslToVendorMs.push(performance.now() - start);
      await pause(500);
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
    const cancelsBefore = cloud.cancelled.length;
    for (let i = 0; i < 10; i++) {
      await client.setCharacteristics({ [targets[1]]: i * 10 });
      await pause(50);
    }
    await settle();
    const execsForSliderDrag10 = execs() - before;
    const readMs = [];
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      await client.getCharacteristics([office.id]);
      readMs.push(performance.now() - start);
    }
    result = {
      startupToPublishedMs: Math.round(startupToPublishedMs),
      hapReadMs: spread(readMs, [50, 99]),
      writeToHapAnswerMs: { overkizCover: spread(answerMs), homesmartlinkThermostat: spread(hslAnswerMs) },
      writeToVendorMs: { overkizCover: spread(toVendorMs), homesmartlinkThermostat: spread(hslToVendorMs) },
      execsFor5SeparateWrites,
      execsForOnePut5,
      execsForSliderDrag10,
      cancelsForSliderDrag10: cloud.cancelled.length - cancelsBefore,
      externalChangeToHapEventMs: { cloudIdle: spread(idleMs), cloudBusy: spread(busyMs), local: spread(localMs) },
      listenerLostRecoveryMs: spread(listenerLostMs),
      sessionExpiredRecoveryMs: spread(sessionExpiredMs),
      outage60sRecoveryMs: { value: Math.round(outageMs), samples: 1 },
      idleRequestsPerDay,
      requestsPerCycle,
      idlePollSeconds: intervals,
    };
  } finally {
    await client.close().catch(() => undefined);
    const shutdownMs = await homebridge.stop();
    if (result) result.shutdownMs = Math.round(shutdownMs);
    await vendors.stop();
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

module.exports = { hapBench, charIdOf };
