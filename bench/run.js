#!/usr/bin/env node
// `npm run bench`: request counts and timings against the built-in simulators, printed and saved to bench/results.json.
// Time runs 100x faster than real time (a virtual clock), so a 5-minute schedule takes 3 s.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { HomeSmartlinkSimulator } = require('../dist/simulators/homesmartlink');
const { HomeSmartlinkIntegration } = require('../dist/integrations/homesmartlink/integration');
const { homesmartlinkAccountSchema } = require('../dist/integrations/homesmartlink/account');
const { OverkizSimulator, demoCovers } = require('../dist/simulators/overkiz');
const { OverkizIntegration } = require('../dist/integrations/overkiz/integration');
const { overkizAccountSchema } = require('../dist/integrations/overkiz/account');
const { mkdtempSync, rmSync } = require('node:fs');
const { hapBench } = require('./hap');
const { resourcesBench } = require('./resources');
const { markdownTable } = require('./table');
const { scaleBench } = require('./scale');
const { accountsBench } = require('./accounts');
const { runtime } = require('./util');
const { tmpdir } = require('node:os');

// Loopback requests take real milliseconds; at 100x they stay small next to the schedule.
const SPEED = 100;
function fastClock() {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * SPEED,
    random: Math.random,
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms / SPEED);
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

const quietLog = { info() {}, warn() {}, error() {}, debug() {} };

async function homesmartlink(homeCount, heatersPerHome) {
  const homes = Array.from({ length: homeCount }, (_, h) => ({
    homeId: `home-${h}`,
    devices: Array.from({ length: heatersPerHome }, (_, d) => ({
      header: `H${h}D${d}`,
      roomId: d + 1,
      roomName: `Room ${d + 1}`,
      category: 'Heater',
      online: true,
      mode: 'Prog',
      baseSp: 19,
      pv: 18,
    })),
  }));
  const clock = fastClock();
  const sim = new HomeSmartlinkSimulator({ clientId: 'bench', clientSecret: 'bench-secret', homes, now: clock.now });
  await sim.start();
  const account = homesmartlinkAccountSchema.parse({
    baseUrl: sim.url,
    clientId: 'bench',
    clientSecret: 'bench-secret',
    homeIds: homes.map((h) => h.homeId),
    pollIntervalSeconds: 60,
  });
  const integration = new HomeSmartlinkIntegration(account, { log: quietLog, clock, storagePath: '/nonexistent' });
  const abort = new AbortController();
  const memBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  await integration.start(abort.signal);
  const firstPollMs = performance.now() - t0;
  sim.server.resetLog();
  const simStart = clock.now();
  await new Promise((r) => setTimeout(r, (5 * 60_000) / SPEED));
  const minutes = (clock.now() - simStart) / 60_000;
  const configCalls = sim.server.count('POST', '/partners/1/config');
  const ids = integration
    .devices()
    .filter((d) => d.id !== 'demand-response')
    .map((d) => d.id);
  sim.server.resetLog();
  const t1 = performance.now();
  // Each write is answered once queued; the batch goes out after its window.
  await Promise.all(
    ids.map((id, i) => integration.execute(id, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 19 + (i % 5) })),
  );
  const batchMs = performance.now() - t1;
  await new Promise((r) => setTimeout(r, 300));
  const derogationCalls = sim.server.count('POST', '/partners/1/derogations');
  abort.abort();
  await sim.stop();
  return {
    scenario: `homesmartlink ${homeCount} homes x ${heatersPerHome} heaters`,
    devices: ids.length,
    firstPollMs: Math.round(firstPollMs),
    configCallsPerHomePerInterval: Number((configCalls / homeCount / minutes).toFixed(2)),
    derogationCallsFor: `${derogationCalls} call(s) for ${ids.length} rooms set at once`,
    queueAllWritesMs: Math.round(batchMs),
    heapDeltaKiB: Math.round((process.memoryUsage().heapUsed - memBefore) / 1024),
  };
}

async function overkiz(coverCount) {
  const options = demoCovers(coverCount, 'bench@example.org', 'bench-pass', '1234-5678-9012');
  const clock = fastClock();
  const sim = new OverkizSimulator({ ...options, now: clock.now });
  await sim.start();
  const account = overkizAccountSchema.parse({ server: 'custom', baseUrl: sim.url, username: options.userId, password: options.password });
  const storagePath = mkdtempSync(`${tmpdir()}/bhub-bench-`);
  const integration = new OverkizIntegration(account, { log: quietLog, clock, storagePath });
  const abort = new AbortController();
  const t0 = performance.now();
  await integration.start(abort.signal);
  const startMs = performance.now() - t0;
  sim.server.resetLog();
  const simStart = clock.now();
  await new Promise((r) => setTimeout(r, (5 * 60_000) / SPEED));
  const minutes = (clock.now() - simStart) / 60_000;
  const fetches = sim.server.requests.filter((r) => r.path.endsWith('/fetch')).length;
  sim.server.resetLog();
  const t1 = performance.now();
  await Promise.all(
    options.devices.map((d, i) => integration.execute(d.deviceURL, { capabilityId: 'cover', type: 'setPosition', position: i % 100 })),
  );
  const batchMs = performance.now() - t1;
  await new Promise((r) => setTimeout(r, 300));
  const applies = sim.server.requests.filter((r) => r.path.endsWith('/exec/apply')).length;
  abort.abort();
  await sim.stop();
  rmSync(storagePath, { recursive: true, force: true });
  return {
    scenario: `overkiz ${coverCount} covers`,
    devices: coverCount,
    firstPollMs: Math.round(startMs),
    eventFetchesPerSecond: Number((fetches / (minutes * 60)).toFixed(2)),
    // idle: no command of ours in the 5 minutes measured, so the idle interval (idlePollSeconds) applies
    eventFetchesPerIdleDay: Math.round((fetches / minutes) * 1440),
    execApplyFor: `${applies} /exec/apply for ${coverCount} covers set at once`,
    queueAllWritesMs: Math.round(batchMs),
  };
}

(async () => {
  const startedAt = performance.now();
  const results = [];
  for (const [homes, heaters] of [
    [1, 5],
    [10, 8],
    [40, 10],
  ])
    results.push(await homesmartlink(homes, heaters));
  for (const covers of [20, 100]) results.push(await overkiz(covers));
  console.log('At integration level, a virtual clock 100x real time (requests a schedule costs):');
  console.table(results);
  const hap = await hapBench();
  const pair = (s) => `${s.p50} / ${s.p95 ?? s.p99}`;
  const startup = `${hap.startupToPublishedMs} (${hap.baselineStartupMs}, ${hap.startupRatioToBaseline})`;
  console.log('Through a real Homebridge + HAP controller (every vendor behind one platform; the Overkiz demo house):');
  console.table({
    'HAP write -> HAP answer, cover, p50 / p95 ms': pair(hap.writeToHapAnswerMs.overkizCover),
    'HAP write -> HAP answer, heater, p50 / p95 ms': pair(hap.writeToHapAnswerMs.homesmartlinkThermostat),
    'HAP write -> /exec/apply, p50 / p95 ms': pair(hap.writeToVendorMs.overkizCover),
    'HAP write -> /derogations, p50 / p95 ms': pair(hap.writeToVendorMs.homesmartlinkThermostat),
    '/exec/apply for 5 separate writes at once': hap.execsFor5SeparateWrites,
    '/exec/apply for 5 writes in one PUT': hap.execsForOnePut5,
    '/exec/apply for a slider drag of 10 writes (cancels)': `${hap.execsForSliderDrag10} (${hap.cancelsForSliderDrag10})`,
    'external change -> HAP event, cloud idle, p50 / p95 ms': pair(hap.externalChangeToHapEventMs.cloudIdle),
    'external change -> HAP event, cloud busy, p50 / p95 ms': pair(hap.externalChangeToHapEventMs.cloudBusy),
    'external change -> HAP event, local gateway, p50 / p95 ms': pair(hap.externalChangeToHapEventMs.local),
    'listener lost -> events again, p50 / p95 ms': pair(hap.listenerLostRecoveryMs),
    'session expired -> events again, p50 / p95 ms': pair(hap.sessionExpiredRecoveryMs),
    'vendor back after a 60 s outage -> first HAP event, ms': hap.outage60sRecoveryMs.value,
    'HAP read, p50 / p99 ms': pair(hap.hapReadMs),
    'start-up -> all published, ms (baseline Homebridge ms, ratio)': startup,
    'SIGTERM -> exit, ms': hap.shutdownMs,
  });
  console.log('Idle requests per vendor (one minute of nobody acting), per day and per poll cycle:');
  console.table(
    Object.fromEntries(
      Object.keys(hap.idleRequestsPerDay).map((k) => [
        k,
        {
          'poll s': hap.idlePollSeconds[k],
          'per day': hap.idleRequestsPerDay[k],
          'per cycle': hap.requestsPerCycle[k],
        },
      ]),
    ),
  );
  const resources = await resourcesBench();
  const changes = `${resources.cpuMsPer1000Changes.p50}, ${resources.hapEventsFor1000Changes}`;
  console.log('Memory and CPU (Overkiz covers; 8 and 149 in a real Homebridge, 1,000 at integration level):');
  console.table({
    'RSS MB p50 (empty / 8 / 149 / 1,000)': [resources.emptyHomebridge, ...[8, 149, 1000].map((k) => ({ rssMb: resources.rssMb[k] }))]
      .map((x) => x.rssMb.p50)
      .join(' / '),
    'RSS MB of 149 covers right after 1,000 changes': resources.rssAfterChangesMb149,
    'heap MB after GC p50 (8 / 149 / 1,000)': [8, 149, 1000].map((k) => resources.heapMb[k].p50).join(' / '),
    'idle CPU ms per minute p50 (empty / 8 / 149)': [
      resources.emptyHomebridge.idleCpuMsPerMinute,
      ...[8, 149].map((k) => resources.idleCpuMsPerMinute[k]),
    ]
      .map((x) => x.p50)
      .join(' / '),
    'CPU ms for 1,000 state changes p50 (149 covers), HAP events sent': changes,
    'start-up -> 149 published, ms': resources.startupToPublishedMs149,
  });
  const scale = await scaleBench();
  console.log('400 devices through a real Homebridge: three child bridges over HAP vs one bridge over Matter:');
  console.table({
    'HAP (3 child bridges)': scale.hap,
    'Matter (1 bridge)': scale.matter,
  });
  const accounts = await accountsBench();
  console.log('Many accounts in one Homebridge (servers refusing every connection):');
  console.table(accounts);
  const out = path.join(__dirname, 'results.json');
  const totalS = Math.round((performance.now() - startedAt) / 1000);
  const saved = {
    at: new Date().toISOString(),
    node: process.version,
    // What the measured Homebridges run (.cache/hb2 on node 22 unless BENCH_HOMEBRIDGE / BENCH_NODE say otherwise).
    measured: runtime(),
    cpus: require('node:os').cpus().length,
    totalS,
    results,
    hap,
    resources,
    scale400: scale,
    accounts,
  };
  fs.writeFileSync(out, JSON.stringify(saved, null, 2));
  console.log(`saved ${path.relative(process.cwd(), out)} (${totalS} s). The README's table:\n`);
  console.log(markdownTable(saved));
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
