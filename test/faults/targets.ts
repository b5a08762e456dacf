import * as hap from 'hap-nodejs';
import type { SimulatorServer } from '../../src/simulators/base';
import { BaxoSimulator, demoBaxo } from '../../src/simulators/baxo';
import { demoFestime, FestimeSimulator } from '../../src/simulators/festime';
import { demoHarmonys, HarmonysSimulator } from '../../src/simulators/harmonys';
import { demoHomes, HomeSmartlinkSimulator } from '../../src/simulators/homesmartlink';
import { demoOverkiz, OverkizSimulator } from '../../src/simulators/overkiz';
import type { ManualClock } from '../helpers/manualClock';

const { Service: S, Characteristic: C } = hap;

/** A value the vendor changes after the fault healed, and where Home shows it. */
export interface Probe {
  accessory: string;
  service: hap.WithUUID<typeof hap.Service>;
  /** The service's Name, when the accessory has several of that type. */
  serviceName?: string;
  char: hap.WithUUID<new () => hap.Characteristic>;
  value: hap.CharacteristicValue;
}

export interface FaultTarget {
  vendor: string;
  /** The account's poll cycle (Overkiz: its idle event interval). */
  cycleMs: number;
  /** After a refused account (401/403), when the vendor's own schedule tries again (README: each vendor's section). */
  authRetryMs: number;
  server: SimulatorServer;
  platform: Record<string, unknown>;
  /** Changes a value at the vendor: Home must show it once the loop recovered. */
  change(): Probe;
  stop(): Promise<void>;
}

type Maker = (clock: ManualClock) => Promise<FaultTarget>;

const overkiz: Maker = async (clock) => {
  const opts = demoOverkiz('me@example.org', 'fault-pass-1');
  const sim = new OverkizSimulator({ ...opts, now: () => clock.now() });
  const url = await sim.start();
  const office = opts.devices.find((d) => d.label === 'Office shutter')!.deviceURL;
  return {
    vendor: 'overkiz',
    cycleMs: 4000,
    // a refused login: tried again after 5 minutes (then 15, 30)
    authRetryMs: 6 * 60_000,
    server: sim.server,
    platform: { overkiz: [{ label: 'House', server: 'custom', baseUrl: url, username: opts.userId, password: opts.password }] },
    change: () => {
      sim.setState(office, 'core:ClosureState', 37);
      return { accessory: 'Office shutter', service: S.WindowCovering, char: C.CurrentPosition, value: 63 };
    },
    stop: () => sim.stop(),
  };
};

const homesmartlink: Maker = async (clock) => {
  const sim = new HomeSmartlinkSimulator({ clientId: 'acme', clientSecret: 'fault-secret', homes: demoHomes(), now: () => clock.now() });
  const url = await sim.start();
  const homeIds = sim.opts.homes.map((h) => h.homeId);
  const device = sim.opts.homes[0].devices.find((d) => d.category === 'Heater')!;
  return {
    vendor: 'homesmartlink',
    cycleMs: 60_000,
    authRetryMs: 16 * 60_000,
    server: sim.server,
    platform: {
      homesmartlink: [{ label: 'School', baseUrl: url, clientId: 'acme', clientSecret: 'fault-secret', homeIds, pollIntervalSeconds: 60 }],
    },
    change: () => {
      // (its temperature drifts at every read: its mode is what a test can set)
      device.mode = 'Stop';
      return { accessory: device.roomName, service: S.Thermostat, char: C.TargetHeatingCoolingState, value: 0 };
    },
    stop: () => sim.stop(),
  };
};

const harmonys: Maker = async (clock) => {
  const opts = demoHarmonys('fault-api-key-1');
  const sim = new HarmonysSimulator(opts);
  sim.server.now = () => clock.now();
  const url = await sim.start();
  const site = opts.sites[0];
  return {
    vendor: 'harmonys',
    cycleMs: 15_000,
    // 401/403: the 30-minute floor (README, Harmonys)
    authRetryMs: 31 * 60_000,
    server: sim.server,
    platform: {
      harmonys: [{ label: 'Schools', baseUrl: url, apiKey: 'fault-api-key-1', buttons: [{ buttonUuid: opts.buttons[0].uuid }] }],
    },
    change: () => {
      sim.alerts.set(site.uuid, opts.buttons[0].uuid);
      return { accessory: site.name, service: S.ContactSensor, serviceName: `${site.name} alert`, char: C.ContactSensorState, value: 1 };
    },
    stop: () => sim.stop(),
  };
};

const baxo: Maker = async (clock) => {
  const opts = demoBaxo('facility@example.org', 'fault-baxo-pass');
  // Readings that wander at random would hide a wrong value: every tag keeps its value until the test changes it.
  for (const c of opts.contracts) for (const d of c.devices) for (const t of d.tags) delete t.drift;
  const sim = new BaxoSimulator({ ...opts, now: () => clock.now() });
  const url = await sim.start();
  const tag = (deviceId: string, tagReference: string, as: string, name: string) => ({ deviceId, tagReference, as, name });
  return {
    vendor: 'baxo',
    cycleMs: 30_000,
    authRetryMs: 16 * 60_000,
    server: sim.server,
    platform: {
      baxo: [
        {
          label: 'Plant',
          baseUrl: url,
          username: opts.username,
          password: opts.password,
          pollIntervalSeconds: 30,
          tags: [
            tag('14587', 'TEMP', 'temperature', 'Server room temperature'),
            tag('14587', 'HUM', 'humidity', 'Server room humidity'),
            tag('3219875446', 'LEAK_FLOOR', 'leak', 'Floor leak'),
          ],
        },
      ],
    },
    change: () => {
      // (the simulated readings drift with time: a leak contact does not)
      sim.setTag('3219875446', 'LEAK_FLOOR', '1');
      return { accessory: 'Plant room', service: S.LeakSensor, serviceName: 'Floor leak', char: C.LeakDetected, value: 1 };
    },
    stop: () => sim.stop(),
  };
};

const festime: Maker = async (clock) => {
  const opts = demoFestime('fault-school', 'Fault$Pass&1');
  const sim = new FestimeSimulator({ ...opts, now: () => clock.now() });
  const url = await sim.start();
  sim.badge('70', 'A', opts.accessPoints[0].name, clock.now() - 3_600_000);
  return {
    vendor: 'festime',
    cycleMs: 15_000,
    authRetryMs: 16 * 60_000,
    server: sim.server,
    platform: {
      festime: [
        { label: 'Office', baseUrl: url, login: opts.login, password: opts.password, pollIntervalSeconds: 15, people: [{ uid: '72' }] },
      ],
    },
    change: () => {
      sim.badge('72', 'A');
      return { accessory: 'Person 72', service: S.OccupancySensor, char: C.OccupancyDetected, value: 1 };
    },
    stop: () => sim.stop(),
  };
};

export const TARGETS: Record<string, Maker> = { overkiz, homesmartlink, harmonys, baxo, festime };
