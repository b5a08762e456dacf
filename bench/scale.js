'use strict';
// 400 devices through a real Homebridge: three child bridges over HAP (HomeKit's 149 per bridge) against one bridge
// over Matter. Start-up to the last device published, and the RSS of every Homebridge process once settled.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { OverkizSimulator, demoCovers } = require('../dist/simulators/overkiz');

const { freePort, pause, startHomebridge } = require('./util');

const COVERS = [134, 133, 133];

/** RSS of a process and all its descendants (child bridges run in processes of their own), MB. */
function treeRssMb(pid) {
  const parentOf = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) for (const [p, parent] of parentOf) if (parent === pids[i]) pids.push(p);
  let kb = 0;
  for (const p of pids) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // ended meanwhile
    }
  }
  return { mb: Math.round(kb / 1024), processes: pids.length };
}

async function run(sims, matter) {
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'bhub-bench-scale-'));
  const bridge = { name: 'Bench', username: '0E:43:43:43:43:43', port: await freePort(), pin: '031-45-154', bind: ['lo'] };
  const account = (sim, i) => ({
    label: `Building ${i + 1}`,
    server: 'custom',
    baseUrl: sim.url,
    username: 'bench@example.org',
    password: 'bench-pass',
    ...(matter ? { expose: 'matter' } : {}),
  });
  const platforms = matter
    ? [{ platform: 'BuildingHub', overkiz: sims.map(account) }]
    : await Promise.all(
        sims.map(async (sim, i) => ({
          platform: 'BuildingHub',
          name: `Building ${i + 1}`,
          _bridge: { username: `0E:43:00:00:00:1${i}`, port: await freePort() },
          overkiz: [account(sim, i)],
        })),
      );
  const config = { bridge: matter ? { ...bridge, matter: { port: await freePort() } } : bridge, accessories: [], platforms };
  fs.writeFileSync(path.join(storage, 'config.json'), JSON.stringify(config));
  const t0 = performance.now();
  const homebridge = startHomebridge(storage);
  const output = homebridge.output;
  const added = new RegExp(matter ? 'added over Matter' : ': added \\(', 'g');
  try {
    while ((output().match(added) ?? []).length < 400) {
      if (performance.now() - t0 > 180_000) throw new Error(`not all published:\n${output().slice(-3000)}`);
      await pause(50);
    }
    const startupToPublishedMs = Math.round(performance.now() - t0);
    await pause(15_000);
    const rss = treeRssMb(homebridge.child.pid);
    return { bridges: matter ? 1 : 3, startupToPublishedMs, rssMb: rss.mb, processes: rss.processes };
  } finally {
    await homebridge.stop(8000);
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

async function scaleBench() {
  const sims = [];
  try {
    for (const [i, n] of COVERS.entries()) {
      const sim = new OverkizSimulator({ ...demoCovers(n, 'bench@example.org', 'bench-pass', `4321-8765-21${i}0`), execQueueSize: 1000 });
      await sim.start();
      sims.push(sim);
    }
    const hap = await run(sims, false);
    const matter = await run(sims, true);
    return { devices: 400, hap, matter, rssRatioMatterToHap: Number((matter.rssMb / hap.rssMb).toFixed(2)) };
  } finally {
    for (const sim of sims) await sim.stop();
  }
}

module.exports = { scaleBench };
