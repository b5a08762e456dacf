'use strict';
// `npm run bench:yardstick`: this build beside version 0.1 (the build the benchmark issue measured side by side with
// homebridge-tahoma 2.2.61), same Homebridge, same simulator, same machine, same run. homebridge-tahoma is not in the
// registry this project installs from, so it cannot run here; version 0.1 can, and the issue gives tahoma's figures as
// a ratio to it. The estimate of tahoma on this machine: version 0.1's figure here times tahoma / 0.1 from the issue
// for CPU (machine speed scales both), and version 0.1's RSS here minus the issue's difference for memory (the base
// Homebridge is the same, only what the plugins add differs). The issue's 140-cover RSS is read right after the 1,000
// changes: that is where version 0.1 shows the issue's 146.7 MB here (about 145; 120 before the changes). Not part of
// `npm run bench`: it installs and builds version 0.1 once (under .cache/v0.1, from this clone's history), then takes
// about 5 minutes a round (YARDSTICK_ROUNDS, default 3). BENCH_HOMEBRIDGE and BENCH_NODE (bench/util.js) run it on
// another Homebridge and node; YARDSTICK_OUT names the file it writes (bench/yardstick.json by default).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { coversRun, emptyRun } = require('./resources');
const { ROOT, runtime, stats } = require('./util');

const V01_COMMIT = 'd25fa8e';
const V01_DIR = path.join(ROOT, '.cache', 'v0.1');
const OUT = path.resolve(__dirname, process.env.YARDSTICK_OUT ?? 'yardstick.json');
const ROUNDS = Number(process.env.YARDSTICK_ROUNDS ?? 3);

/** The issue's own side-by-side figures (homebridge-tahoma 2.2.61 and this plugin's version 0.1, one run). */
const ISSUE = {
  idleCpuMsPerMinute: { v01: 1390 / 5, tahoma: 240 / 5 },
  cpuMsPer1000Changes: { v01: 1620, tahoma: 270 },
  rssMb8: { v01: 99.5, tahoma: 88.3 },
  rssMb140: { v01: 146.7, tahoma: 126.8 },
};

function ensureV01() {
  if (fs.existsSync(path.join(V01_DIR, 'dist', 'index.js'))) return;
  fs.rmSync(V01_DIR, { recursive: true, force: true });
  fs.mkdirSync(V01_DIR, { recursive: true });
  const tar = path.join(V01_DIR, 'src.tar');
  execFileSync('git', ['-C', ROOT, 'archive', '-o', tar, V01_COMMIT]);
  execFileSync('tar', ['-xf', tar, '-C', V01_DIR]);
  fs.rmSync(tar);
  const npm = { cwd: V01_DIR, stdio: 'inherit' };
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], npm);
  execFileSync('npm', ['run', 'build'], npm);
}

const round = (v, d = 1) => Number(v.toFixed(d));

function compare(name, ours, v01, issue, how) {
  const tahoma = how === 'ratio' ? (v01 * issue.tahoma) / issue.v01 : v01 - (issue.v01 - issue.tahoma);
  return { figure: name, ours: round(ours), v01: round(v01), tahomaEstimate: round(tahoma), oursToTahoma: round(ours / tahoma, 2) };
}

async function main() {
  ensureV01();
  if (process.argv.includes('--prepare')) return;
  const runs = { empty: [], ours8: [], old8: [], ours140: [], old140: [] };
  for (let pass = 1; pass <= ROUNDS; pass++) {
    console.log(`yardstick ${pass}/${ROUNDS}: empty Homebridge, this build and version 0.1 with 8 covers, side by side`);
    const [empty, ours8, old8] = await Promise.all([
      emptyRun(60),
      coversRun(8, { changes: false, id: 61 }),
      coversRun(8, { changes: false, plugin: V01_DIR, id: 62 }),
    ]);
    console.log(`yardstick ${pass}/${ROUNDS}: this build and version 0.1 with 140 covers and 1,000 changes, side by side`);
    const [ours140, old140] = await Promise.all([
      coversRun(140, { changes: true, id: 63 }),
      coversRun(140, { changes: true, plugin: V01_DIR, id: 64 }),
    ]);
    Object.entries({ empty, ours8, old8, ours140, old140 }).forEach(([k, v]) => runs[k].push(v));
  }
  // Each run's median, then the median over the rounds: RSS moves by several MB from one process to the next.
  const median = (list, pick) => stats(list.map(pick)).p50;
  const figure = (name, covers, pick, issue, how) =>
    compare(name, median(runs[`ours${covers}`], pick), median(runs[`old${covers}`], pick), issue, how);
  const rows = [
    figure('idle CPU ms a minute, 8 covers', 8, (r) => r.idleCpuMsPerMinute.p50, ISSUE.idleCpuMsPerMinute, 'ratio'),
    figure('CPU ms for 1,000 changes, 140 covers', 140, (r) => r.cpuMsPer1000Changes.p50, ISSUE.cpuMsPer1000Changes, 'ratio'),
    figure('RSS MB, 8 covers', 8, (r) => r.rssMb.p50, ISSUE.rssMb8, 'difference'),
    figure('RSS MB right after 1,000 changes, 140 covers', 140, (r) => r.rssAfterChangesMb, ISSUE.rssMb140, 'difference'),
  ];
  const empty = { rssMb: median(runs.empty, (r) => r.rssMb.p50), idleCpuMsPerMinute: median(runs.empty, (r) => r.idleCpuMsPerMinute.p50) };
  const results = {
    date: new Date().toISOString(),
    cpus: require('node:os').cpus().length,
    measured: runtime(),
    v01Commit: V01_COMMIT,
    issue: ISSUE,
    rounds: ROUNDS,
    rows,
    runs,
  };
  fs.writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  console.table(rows);
  console.log(`| figure | this build | version 0.1 | homebridge-tahoma (estimate) | this build / tahoma |`);
  console.log(`|---|---|---|---|---|`);
  for (const r of rows) console.log(`| ${r.figure} | ${r.ours} | ${r.v01} | ${r.tahomaEstimate} | ${r.oursToTahoma} |`);
  console.log(`empty Homebridge beside them: RSS ${empty.rssMb} MB, idle CPU ${empty.idleCpuMsPerMinute} ms a minute`);
  console.log(`written to ${path.relative(ROOT, OUT)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
