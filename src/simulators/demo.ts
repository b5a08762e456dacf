import type { AccountEntry } from '../config';
import { homesmartlinkVendor } from '../integrations/homesmartlink/vendor';
import { harmonysVendor } from '../integrations/harmonys/vendor';
import { demoHarmonys, HarmonysSimulator } from './harmonys';
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
  const harmonysKey = 'demo-harmonys-api-key';
  const harmonysOptions = demoHarmonys(harmonysKey);
  const harmonys = new HarmonysSimulator(harmonysOptions);
  const harmonysUrl = await harmonys.start();
  const stop = async () => {
    await Promise.all([hsl.stop(), harmonys.stop()]);
  };
  signal.addEventListener('abort', () => void stop(), { once: true });
  const account = homesmartlinkVendor.schema.parse({ label: 'Demo school', baseUrl: url, ...credentials, homeIds: ['school-main', 'school-annex'], pollIntervalSeconds: 30 });
  // Alert buttons are opt-in: the demo lists all four, for every site.
  const harmonysAccount = harmonysVendor.schema.parse({
    label: 'Demo schools',
    baseUrl: harmonysUrl,
    apiKey: harmonysKey,
    buttons: harmonysOptions.buttons.map((b) => ({ buttonUuid: b.uuid })),
  });
  return {
    accounts: [
      { vendor: homesmartlinkVendor, account, index: 0 },
      { vendor: harmonysVendor, account: harmonysAccount, index: 0 },
    ],
    describe: `HomeSmartlink ${url}, Harmonys ${harmonysUrl}`,
    stop,
  };
}
