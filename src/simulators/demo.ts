import type { AccountEntry } from '../config';
import { homesmartlinkVendor } from '../integrations/homesmartlink/vendor';
import { demoHomes, HomeSmartlinkSimulator } from './homesmartlink';

export interface RunningDemo {
  accounts: AccountEntry[];
  describe: string;
  stop(): Promise<void>;
}

/** Starts every vendor simulator with a demo building and returns accounts pointed at them. */
export async function startDemo(signal: AbortSignal): Promise<RunningDemo> {
  const credentials = { clientId: 'demo-partner', clientSecret: 'demo-secret' };
  const hsl = new HomeSmartlinkSimulator({ ...credentials, homes: demoHomes() });
  const url = await hsl.start();
  const stop = async () => {
    await hsl.stop();
  };
  signal.addEventListener('abort', () => void stop(), { once: true });
  const account = homesmartlinkVendor.schema.parse({ label: 'Demo school', baseUrl: url, ...credentials, homeIds: ['school-main', 'school-annex'], pollIntervalSeconds: 30 });
  return { accounts: [{ vendor: homesmartlinkVendor, account, index: 0 }], describe: `HomeSmartlink ${url}`, stop };
}
