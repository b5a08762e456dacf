import type { AccountEntry } from '../config';
import { homesmartlinkVendor } from '../integrations/homesmartlink/vendor';
import { baxoVendor } from '../integrations/baxo/vendor';
import { festimeVendor } from '../integrations/festime/vendor';
import { overkizVendor } from '../integrations/overkiz/vendor';
import { demoOverkiz, OverkizSimulator } from './overkiz';
import { BaxoSimulator, demoBaxo } from './baxo';
import { harmonysVendor } from '../integrations/harmonys/vendor';
import { demoFestime, FestimeSimulator } from './festime';
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
  const festimeOptions = demoFestime('demo-school', 'Demo$Pass&#1');
  const festime = new FestimeSimulator(festimeOptions);
  const festimeUrl = await festime.start();
  // A believable morning: a few people already in, then someone badges every 20 s.
  for (const [uid, ap] of [
    ['70', 0],
    ['72', 1],
    ['75', 0],
  ] as const)
    festime.badge(uid, 'A', festimeOptions.accessPoints[ap].name, Date.now() - 3_600_000);
  const script = setInterval(() => {
    const person = festimeOptions.people[Math.floor(Math.random() * festimeOptions.people.length)];
    const last = [...festime.events].reverse().find((e) => e.uid === person.uid)?.movement;
    festime.badge(
      person.uid,
      last === 'A' ? (Math.random() < 0.3 ? 'P' : 'D') : 'A',
      festimeOptions.accessPoints[Math.floor(Math.random() * 2)].name,
    );
  }, 20_000);
  script.unref();
  const baxoOptions = demoBaxo('facility@example.org', 'demo-baxo-password');
  const baxo = new BaxoSimulator(baxoOptions);
  const baxoUrl = await baxo.start();
  const overkizOptions = demoOverkiz('home@example.org', 'demo-overkiz-password');
  const overkiz = new OverkizSimulator({ ...overkizOptions, travelMs: 4000 });
  const overkizUrl = await overkiz.start();
  const stop = async () => {
    clearInterval(script);
    await Promise.all([hsl.stop(), harmonys.stop(), festime.stop(), baxo.stop(), overkiz.stop()]);
  };
  signal.addEventListener('abort', () => void stop(), { once: true });
  const account = homesmartlinkVendor.schema.parse({
    label: 'Demo school',
    baseUrl: url,
    ...credentials,
    homeIds: ['school-main', 'school-annex'],
    pollIntervalSeconds: 30,
  });
  // Alert buttons are opt-in: the demo lists all four, for every site.
  const harmonysAccount = harmonysVendor.schema.parse({
    label: 'Demo schools',
    baseUrl: harmonysUrl,
    apiKey: harmonysKey,
    buttons: harmonysOptions.buttons.map((b) => ({ buttonUuid: b.uuid })),
  });
  return {
    accounts: [
      {
        vendor: overkizVendor,
        account: overkizVendor.schema.parse({
          label: 'Demo house',
          server: 'custom',
          baseUrl: overkizUrl,
          username: overkizOptions.userId,
          password: overkizOptions.password,
          exposeScenarios: true,
        }),
        index: 0,
      },
      { vendor: homesmartlinkVendor, account, index: 0 },
      { vendor: harmonysVendor, account: harmonysAccount, index: 0 },
      {
        vendor: festimeVendor,
        account: festimeVendor.schema.parse({
          label: 'Demo office',
          baseUrl: festimeUrl,
          login: festimeOptions.login,
          password: festimeOptions.password,
          pollIntervalSeconds: 15,
          people: [{ uid: '70' }, { uid: '72', name: 'Hélène' }],
        }),
        index: 0,
      },
      {
        vendor: baxoVendor,
        account: baxoVendor.schema.parse({
          label: 'Demo plant',
          baseUrl: baxoUrl,
          username: baxoOptions.username,
          password: baxoOptions.password,
          pollIntervalSeconds: 30,
          tags: [
            { deviceId: '3219875446', tagReference: 'T_FLOW', as: 'temperature', name: 'Flow temperature' },
            { deviceId: '3219875446', tagReference: 'T_RETURN', as: 'temperature', name: 'Return temperature' },
            { deviceId: '3219875446', tagReference: 'LEAK_FLOOR', as: 'leak', name: 'Floor leak' },
            { deviceId: '3219875446', tagReference: 'BOILER_FAULT', as: 'contact', name: 'Boiler fault' },
            { deviceId: '3219875446', tagReference: 'PUMP_ENABLE', as: 'switch', name: 'Circulation pump' },
            { deviceId: '14587', tagReference: 'TEMP', as: 'temperature', name: 'Server room temperature' },
            { deviceId: '14587', tagReference: 'HUM', as: 'humidity', name: 'Server room humidity' },
            { deviceId: '14587', tagReference: 'CO2', as: 'co2', name: 'Server room CO2' },
            { deviceId: '14587', tagReference: 'DOOR', as: 'contact', name: 'Server room door' },
          ],
        }),
        index: 0,
      },
    ],
    describe: `Overkiz ${overkizUrl}, HomeSmartlink ${url}, Harmonys ${harmonysUrl}, Festime ${festimeUrl}, BAXO ${baxoUrl}`,
    stop,
  };
}
