'use strict';
// Preloaded into a benchmarked process (node --expose-gc --require bench/probe.js): on SIGUSR2 it collects garbage,
// then writes its memory and CPU use to BENCH_PROBE_FILE. The bench reads it through sample() in util.js.
const fs = require('node:fs');

process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
  const m = process.memoryUsage();
  const c = process.cpuUsage();
  const sample = { rss: m.rss, heapUsed: m.heapUsed, cpuMs: (c.user + c.system) / 1000, at: Date.now() };
  fs.writeFileSync(process.env.BENCH_PROBE_FILE, JSON.stringify(sample));
});
