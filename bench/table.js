'use strict';
// The README's bench table, made from bench/results.json (run.js prints it after every run).
const n = (v) => (typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
const s = (ms) => (ms / 1000).toFixed(1);
/** A median with its min–max and sample count. */
const med = (x) => `${n(x.p50)} (${n(x.min)}–${n(x.max)}, n=${x.samples})`;
const pair = (x, unit = 'ms') => (unit === 's' ? `${s(x.p50)} / ${s(x.p95 ?? x.p99)} s` : `${x.p50} / ${x.p95 ?? x.p99} ms`);

function markdownTable(saved) {
  const { hap, resources: r, scale400: scale, accounts } = saved;
  const rows = [
    [
      'HAP write → HAP answer, cover / heater, p50 / p95',
      `${pair(hap.writeToHapAnswerMs.overkizCover)}; ${pair(hap.writeToHapAnswerMs.homesmartlinkThermostat)}`,
    ],
    ['HAP write → `/exec/apply` (cover), p50 / p95', pair(hap.writeToVendorMs.overkizCover)],
    ['HAP write → `/derogations` (heater, grouped 1 s), p50 / p95', pair(hap.writeToVendorMs.homesmartlinkThermostat)],
    [
      '`/exec/apply` for 5 separate writes / one PUT of 5 / a slider drag of 10',
      `${hap.execsFor5SeparateWrites} / ${hap.execsForOnePut5} / ${hap.execsForSliderDrag10} (${hap.cancelsForSliderDrag10} cancels)`,
    ],
    [
      `external change → HAP event, cloud idle (${hap.idlePollSeconds.overkizCloud} s interval), p50 / p95`,
      pair(hap.externalChangeToHapEventMs.cloudIdle, 's'),
    ],
    ['external change → HAP event, right after a command of ours, p50 / p95', pair(hap.externalChangeToHapEventMs.cloudBusy, 's')],
    ['external change → HAP event, local gateway, p50 / p95', pair(hap.externalChangeToHapEventMs.local, 's')],
    [
      'listener lost / session expired → events flow again, p50',
      `${s(hap.listenerLostRecoveryMs.p50)} / ${s(hap.sessionExpiredRecoveryMs.p50)} s`,
    ],
    ['vendor back after a 60 s outage → first HAP event', `${s(hap.outage60sRecoveryMs.value)} s`],
    [
      'idle requests per day: Overkiz cloud / local, HomeSmartlink, Harmonys, BAXO, Festime',
      ['overkizCloud', 'overkizLocal', 'homesmartlink', 'harmonys', 'baxo', 'festime'].map((k) => n(hap.idleRequestsPerDay[k])).join(' / '),
    ],
    [
      'requests per poll cycle, same order',
      ['overkizCloud', 'overkizLocal', 'homesmartlink', 'harmonys', 'baxo', 'festime'].map((k) => hap.requestsPerCycle[k]).join(' / '),
    ],
    ['HAP read, p50 / p99', pair(hap.hapReadMs)],
    [
      `start-up → all published, every vendor (empty Homebridge: ${n(hap.baselineStartupMs)} ms)`,
      `${n(hap.startupToPublishedMs)} ms, ratio ${hap.startupRatioToBaseline}`,
    ],
    [
      `start-up → 149 covers published (empty Homebridge beside it: ${n(r.emptyHomebridge.startupMs)} ms)`,
      `${n(r.startupToPublishedMs149)} ms, ratio ${r.ratioToEmpty.startup149}`,
    ],
    [
      `RSS from 60 s after start, MB: empty Homebridge / 8 covers / 149 covers`,
      [r.emptyHomebridge.rssMb, r.rssMb[8], r.rssMb[149]].map(med).join(' / '),
    ],
    ['RSS of 149 covers right after their 1,000 changes, MB', n(r.rssAfterChangesMb149)],
    ['RSS of 1,000 covers (the Overkiz integration alone), MB', med(r.rssMb[1000])],
    [
      `heap after GC, MB: same order, then 1,000`,
      [r.emptyHomebridge.heapMb, r.heapMb[8], r.heapMb[149], r.heapMb[1000]].map(med).join(' / '),
    ],
    [
      'idle CPU per minute (six 10 s windows, read from /proc), ms: empty Homebridge / 8 / 149 covers',
      [r.emptyHomebridge.idleCpuMsPerMinute, r.idleCpuMsPerMinute[8], r.idleCpuMsPerMinute[149]].map(med).join(' / '),
    ],
    [
      'added by the plugin with 8 covers (medians): RSS / idle CPU a minute',
      `${r.ratioToEmpty.addedRssMb8} MB / ${r.ratioToEmpty.addedIdleCpuMsPerMinute8} ms`,
    ],
    [
      'CPU for 1,000 state changes (149 covers, a controller subscribed; 4 batches of 250)',
      `${med(r.cpuMsPer1000Changes)} ms (${n(r.hapEventsFor1000Changes)} HAP events)`,
    ],
    ['SIGTERM → exit', `${hap.shutdownMs} ms`],
  ];
  if (scale) {
    rows.push([
      '400 devices: start-up, HAP on 3 child bridges / Matter on 1 bridge',
      `${s(scale.hap.startupToPublishedMs)} / ${s(scale.matter.startupToPublishedMs)} s`,
    ]);
    rows.push(['400 devices: RSS of every Homebridge process, HAP / Matter', `${scale.hap.rssMb} / ${scale.matter.rssMb} MB`]);
  }
  if (accounts) {
    const acc = [accounts[0], accounts[10000]];
    rows.push([
      'accounts: none / 10,000 (servers refusing): start-up → bridge running',
      acc.map((a) => `${n(a.startupToRunningMs)} ms`).join(' / '),
    ]);
    rows.push([
      'same order: longest event-loop delay until running; then over 20 s, max (p99)',
      acc.map((a) => `${a.lagMaxMsToRunning}; ${a.lagMsNext20s.max} (${a.lagMsNext20s.p99}) ms`).join(' / '),
    ]);
    rows.push(['same order: RSS after 20 s', acc.map((a) => `${n(a.rssMb)} MB`).join(' / ')]);
  }
  return ['| figure | value |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
}

module.exports = { markdownTable };

if (require.main === module) {
  const saved = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, 'results.json'), 'utf8'));
  console.log(markdownTable(saved));
}
