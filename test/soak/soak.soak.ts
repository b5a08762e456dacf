import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeHomebridge } from '../helpers/fakeHomebridge';
import { ManualClock } from '../helpers/manualClock';
import { FAULT_KINDS } from '../faults/kinds';
import { type FaultTarget, TARGETS } from '../faults/targets';

/**
 * `npm run soak` (not in CI): every vendor's simulator behind one platform for SOAK_MINUTES (30) of real time, a
 * random fault kind on a random vendor every 10 s (held 5 s). Prints RSS and heap-after-GC growth per hour (least
 * squares over the samples after a warm-up), event-loop lag p99, handles left open and shutdown time, saves them to
 * bench/soak.json, and fails when the heap grows more than 5 MB/hour.
 */
const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
jest.setTimeout((MINUTES + 5) * 60_000);

const slopePerHour = (points: Array<[number, number]>) => {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 3_600_000;
};

it(`soak: ${MINUTES} minutes of every vendor with a random fault every 10 s`, async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run soak does)');
  // The targets' simulators read this clock only for their timestamps; the platform runs on real time.
  const clock = new ManualClock(Date.now());
  const tick = setInterval(() => (clock.t = Date.now()), 200);
  const handlesBefore = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
  const targets: FaultTarget[] = [];
  for (const make of Object.values(TARGETS)) targets.push(await make(clock));
  const platform = Object.assign({}, ...targets.map((t) => t.platform)) as Record<string, unknown>;
  const hb = new FakeHomebridge(platform);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const rss: Array<[number, number]> = [];
  const heap: Array<[number, number]> = [];
  /** Memory outside the JS heap (buffers, sockets): what RSS holds beyond the heap, where a buffer leak would show. */
  const external: Array<[number, number]> = [];
  let faults = 0;
  /** The accessories at the end of the warm-up: every one must still be there at the end. */
  let published: string[] | undefined;
  try {
    await hb.launch();
    lag.enable();
    const t0 = Date.now();
    const warmUpMs = Math.min(5 * 60_000, (MINUTES * 60_000) / 6);
    let nextSample = t0;
    while (Date.now() - t0 < MINUTES * 60_000) {
      const target = targets[Math.floor(Math.random() * targets.length)];
      const kind = FAULT_KINDS[Math.floor(Math.random() * FAULT_KINDS.length)];
      target.server.injectFault(1_000_000, kind.fault);
      faults++;
      await new Promise((r) => setTimeout(r, 5000));
      target.server.clearFaults();
      await new Promise((r) => setTimeout(r, 5000));
      if (Date.now() >= nextSample) {
        nextSample += 30_000;
        gc();
        const at = Date.now() - t0;
        if (at >= warmUpMs) {
          published ??= hb.accessories().map((a) => a.displayName);
          rss.push([at, process.memoryUsage().rss / 2 ** 20]);
          heap.push([at, process.memoryUsage().heapUsed / 2 ** 20]);
          external.push([at, process.memoryUsage().external / 2 ** 20]);
        }
      }
    }
    lag.disable();
    const accessories = hb.accessories().length;
    const left = new Set(hb.accessories().map((a) => a.displayName));
    const lost = (published ?? []).filter((name) => !left.has(name));
    const stopAt = Date.now();
    hb.shutdown();
    for (const t of targets) await t.stop();
    clearInterval(tick);
    await new Promise((r) => setTimeout(r, 2000));
    const shutdownMs = Date.now() - stopAt - 2000;
    const handlesAfter = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
    const result = {
      minutes: MINUTES,
      faults,
      accessories,
      lost,
      rssGrowthMbPerHour: Number(slopePerHour(rss).toFixed(1)),
      heapGrowthMbPerHour: Number(slopePerHour(heap).toFixed(1)),
      externalGrowthMbPerHour: Number(slopePerHour(external).toFixed(1)),
      rssMb: { first: Number(rss[0]?.[1].toFixed(1)), last: Number(rss[rss.length - 1]?.[1].toFixed(1)) },
      samples: heap.length,
      eventLoopLagP99Ms: Number((lag.percentile(99) / 1e6).toFixed(1)),
      openHandlesLeft: handlesAfter - handlesBefore,
      shutdownMs,
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(join(__dirname, '..', '..', 'bench', 'soak.json'), JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2));
    expect(accessories).toBeGreaterThan(50);
    expect(lost).toEqual([]);
    expect(heap.length).toBeGreaterThanOrEqual(3);
    expect(result.heapGrowthMbPerHour).toBeLessThanOrEqual(5);
  } finally {
    clearInterval(tick);
    hb.shutdown();
    for (const t of targets) await t.stop().catch(() => undefined);
    hb.dispose();
  }
});
