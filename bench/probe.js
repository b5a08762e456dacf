'use strict';
// Preloaded into a benchmarked process (node --expose-gc --require bench/probe.js): on SIGUSR2 it reads its CPU time,
// collects garbage, then writes its memory and CPU use to BENCH_PROBE_FILE. The bench reads it through sample() in
// util.js. `cpuBeforeGcMs` is read before the forced GC and `cpuMs` after it, so a window from one sample's `cpuMs` to
// the next one's `cpuBeforeGcMs` holds only what the process did by itself.
const fs = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

// With BENCH_PROBE_LAG=1 only: the event-loop delay since the previous sample (since the start for the first), how
// long the loop was held. Its 10 ms timer costs a few hundred ms of CPU a minute, so the CPU figures run without it.
const lag = process.env.BENCH_PROBE_LAG === '1' ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
lag?.enable();

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

process.on('SIGUSR2', () => {
  const cpuBeforeGcMs = cpuMs();
  const before = Date.now();
  if (typeof global.gc === 'function') global.gc();
  const m = process.memoryUsage();
  const lagMs = lag && { max: Math.round(lag.max / 1e6), p99: Math.round(lag.percentile(99) / 1e6) };
  lag?.reset();
  const sample = { rss: m.rss, heapUsed: m.heapUsed, cpuBeforeGcMs, cpuMs: cpuMs(), before, at: Date.now(), lagMs };
  fs.writeFileSync(process.env.BENCH_PROBE_FILE, JSON.stringify(sample));
});
