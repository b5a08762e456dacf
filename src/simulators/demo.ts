import type { AccountEntry } from '../config';
import { VENDORS, type VendorEntry } from '../integrations';

export interface RunningDemo {
  accounts: AccountEntry[];
  describe: string;
  stop(): Promise<void>;
}

/** Starts every registered vendor's simulator with its demo building and returns accounts pointed at them. */
export async function startDemo(signal: AbortSignal, vendors: readonly VendorEntry[] = VENDORS): Promise<RunningDemo> {
  const running = await Promise.all(vendors.map(async (vendor) => ({ vendor, demo: await vendor.demo() })));
  const stop = async () => {
    await Promise.all(running.map((r) => r.demo.stop()));
  };
  signal.addEventListener('abort', () => void stop(), { once: true });
  return {
    accounts: running.map(({ vendor, demo }) => ({ vendor, account: vendor.schema.parse(demo.account), index: 0 })),
    describe: running.map(({ vendor, demo }) => `${vendor.vendor} ${demo.url}`).join(', '),
    stop,
  };
}
