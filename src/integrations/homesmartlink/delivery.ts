import type { Clock } from '../../core/clock';
import { AuthError, describeError, isAbort } from '../../core/errors';
import type { Logger } from '../../core/log';
import type { HomeSmartlinkClient } from './client';

export interface DeliveryResult {
  requested: number;
  sent: number;
  received: number;
  /** Homes whose gateway did not acknowledge. */
  notReceived: Set<string>;
}

/**
 * Follows a derogation trigger with /report until every home acknowledged or the give-up time passed,
 * then logs the summary once. Resolves undefined when it could not learn anything (auth failure, shutdown).
 */
export async function followDelivery(opts: {
  trigger: string;
  /** What the trigger does, for the log: "derogation", "end of the derogation". */
  what: string;
  client: HomeSmartlinkClient;
  clock: Clock;
  signal: AbortSignal;
  tuning: { reportFirstCheckMs: number; reportEveryMs: number; reportGiveUpMs: number };
  log: Logger;
}): Promise<DeliveryResult | undefined> {
  const { clock, signal, tuning, log } = opts;
  const deadline = clock.now() + tuning.reportGiveUpMs;
  let last: DeliveryResult | undefined;
  try {
    await clock.sleep(tuning.reportFirstCheckMs, signal);
    for (;;) {
      try {
        const report = await opts.client.report(opts.trigger, signal);
        const notReceived = new Set(report.details.filter((d) => d.acknowledge !== true && d.homeId).map((d) => d.homeId as string));
        last = {
          requested: report.summary.requested ?? 0,
          sent: report.summary.sent ?? 0,
          received: report.summary.received ?? 0,
          notReceived,
        };
        if (last.requested > 0 && last.received >= last.requested) break;
      } catch (err) {
        if (err instanceof AuthError || isAbort(err)) throw err;
        log.debug(`delivery report not available yet: ${describeError(err)}`);
      }
      if (clock.now() + tuning.reportEveryMs > deadline) break;
      await clock.sleep(tuning.reportEveryMs, signal);
    }
  } catch (err) {
    if (!isAbort(err)) log.warn(`could not follow the derogation delivery: ${describeError(err)}`);
    return undefined;
  }
  if (!last) return undefined;
  const line = `${opts.what} delivery: requested ${last.requested}, sent ${last.sent}, received ${last.received}`;
  if (last.received >= last.requested) log.info(line);
  else log.warn(`${line} (gave up waiting after ${Math.round(tuning.reportGiveUpMs / 60_000)} min)`);
  return last;
}
