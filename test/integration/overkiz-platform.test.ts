import * as hap from 'hap-nodejs';
import { OverkizSimulator } from '../../src/simulators/overkiz';
import { FakeHomebridge } from '../helpers/fakeHomebridge';
import { ManualClock } from '../helpers/manualClock';
import { shutters } from '../helpers/overkizFixture';

const { Service: S, Characteristic: C } = hap;
const NO_RESPONSE = hap.HAPStatus.SERVICE_COMMUNICATION_FAILURE;

describe('Overkiz through the platform: lifecycle and availability', () => {
  let clock: ManualClock;
  let sim: OverkizSimulator;
  let hb: FakeHomebridge | undefined;

  beforeEach(async () => {
    clock = new ManualClock();
    sim = new OverkizSimulator({ userId: 'me@example.org', password: 'pw-123456', devices: shutters(3), now: () => clock.now() });
    await sim.start();
    clock.busy = () => sim.server.inFlight > 0 || (hb?.inFlight() ?? 0) > 0;
  });

  /** Event fetches every `seconds` (1 s by default; slower where a test runs an hour of schedule). */
  const bridge = (seconds = 1) => {
    const account = {
      label: 'Home',
      server: 'custom',
      baseUrl: sim.url,
      username: 'me@example.org',
      password: 'pw-123456',
      pollIntervalSeconds: seconds,
    };
    hb = new FakeHomebridge({ overkiz: [account] }, clock);
    return hb;
  };

  afterEach(async () => {
    hb?.shutdown();
    hb?.dispose();
    await sim.stop();
  });

  const position = (name: string) => hb!.read(hb!.byName(name)!, S.WindowCovering, C.CurrentPosition, 'cover');

  it('one failed event fetch among successes: no accessory answers No Response; an outage of 30 s and more: No Response', async () => {
    await bridge().launch();
    await clock.advance(2000);
    expect(hb!.accessories()).toHaveLength(3);
    sim.server.injectFault(1, { status: 503, pathPrefix: '/enduser-mobile-web/enduserAPI/events' });
    for (let i = 0; i < 10; i++) {
      await clock.advance(1000);
      expect((await position('Shutter 1')).status).toBeUndefined();
    }
    sim.server.injectFault(10_000, { status: 503 });
    await clock.advance(20_000);
    expect((await position('Shutter 1')).status).toBeUndefined();
    await clock.advance(15_000);
    expect((await position('Shutter 1')).status).toBe(NO_RESPONSE);
    expect(hb!.accessories()).toHaveLength(3);
  });

  it('a device deleted while Homebridge was stopped is removed after the first discovery and the grace (one more /setup)', async () => {
    await bridge(30).launch();
    await clock.advance(2000);
    expect(hb!.accessories()).toHaveLength(3);
    hb!.shutdown();
    sim.opts.devices.splice(2, 1);
    await hb!.launch();
    await clock.advance(2000);
    expect(hb!.byName('Shutter 3')).toBeDefined();
    const setupReads = () => sim.server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/setup')).length;
    const reads = setupReads();
    await clock.advance(9 * 60_000);
    expect(hb!.byName('Shutter 3')).toBeDefined();
    await clock.advance(2 * 60_000);
    expect(hb!.byName('Shutter 3')).toBeUndefined();
    expect(setupReads()).toBe(reads + 1);
    expect(hb!.log.matching(/Shutter 3: removed/)).toHaveLength(1);
    // nothing brings it back, not even an outage announcing every device as changed
    sim.server.injectFault(60, { status: 503 });
    await clock.advance(2 * 60_000);
    sim.server.clearFaults();
    await clock.advance(2 * 60_000);
    expect(hb!.byName('Shutter 3')).toBeUndefined();
    expect(hb!.log.matching(/Shutter 3: added/)).toHaveLength(1);
  });

  it('over Matter the same rule: a device deleted while stopped leaves Matter after the grace, once; the others stay', async () => {
    const account = { label: 'Home', server: 'custom', baseUrl: sim.url, username: 'me@example.org', password: 'pw-123456' };
    hb = new FakeHomebridge({ overkiz: [{ ...account, pollIntervalSeconds: 30, expose: 'matter' }] }, clock, true);
    await hb.launch();
    await clock.advance(2000);
    expect(hb.matter!.accessories.size).toBe(3);
    hb.shutdown();
    sim.opts.devices.splice(2, 1);
    await hb.launch();
    await clock.advance(2000);
    expect(hb.matter!.byName('Shutter 3')).toBeDefined();
    await clock.advance(9 * 60_000);
    expect(hb.matter!.byName('Shutter 3')).toBeDefined();
    await clock.advance(2 * 60_000);
    expect(hb.matter!.byName('Shutter 3')).toBeUndefined();
    expect([...hb.matter!.accessories.values()].map((a) => a.displayName).sort()).toEqual(['Shutter 1', 'Shutter 2']);
    expect(hb.log.matching(/Shutter 3: removed/)).toHaveLength(1);
    expect(hb.accessories()).toHaveLength(0);
    // a restart does not bring it back from Homebridge's Matter cache
    hb.shutdown();
    await hb.launch();
    await clock.advance(2000);
    expect(hb.matter!.byName('Shutter 3')).toBeUndefined();
    expect(hb.matter!.accessories.size).toBe(2);
  });

  it('an empty /setup is suspect: logged, read again, and nothing is removed within the hour', async () => {
    await bridge(30).launch();
    await clock.advance(2000);
    const all = sim.opts.devices;
    sim.opts.devices = [];
    sim.emit({ name: 'DeviceRemovedEvent', deviceURL: all[0].deviceURL });
    // the setup was read at start: the event's re-read waits until 10 minutes after that
    await clock.advance(11 * 60_000);
    expect(hb!.log.matching(/not taken as a removal/, 'warn')).toHaveLength(1);
    await clock.advance(30 * 60_000);
    expect(hb!.accessories()).toHaveLength(3);
    sim.opts.devices = all;
    await clock.advance(60 * 60_000);
    expect(hb!.accessories()).toHaveLength(3);
    expect(hb!.log.matching(/: removed \(/)).toHaveLength(0);
    expect(hb!.log.matching(/Shutter 1: listed again, kept/)).toHaveLength(1);
  });

  it('a device the setup lists but describes unreadably keeps its accessory and its states for hours, across a restart', async () => {
    await bridge(30).launch();
    await clock.advance(2000);
    sim.setState(sim.opts.devices[2].deviceURL, 'core:ClosureState', 30);
    await clock.advance(31_000);
    expect((await position('Shutter 3')).value).toBe(70);
    // its label turns null: the entry fails validation, its URL is still listed
    sim.opts.devices[2] = { ...sim.opts.devices[2], label: null } as unknown as (typeof sim.opts.devices)[number];
    const never = { ...shutters(4)[3], label: null } as unknown as (typeof sim.opts.devices)[number];
    sim.opts.devices.push(never);
    for (let hour = 0; hour < 2; hour++) {
      sim.emit({ name: 'DeviceRemovedEvent', deviceURL: sim.opts.devices[2].deviceURL });
      await clock.advance(60 * 60_000);
    }
    expect(hb!.byName('Shutter 3')).toBeDefined();
    expect(hb!.log.matching(/no longer listed/)).toHaveLength(0);
    expect(hb!.log.matching(/1 keep what was last read of them, 1 never read before are left out/, 'warn')).toHaveLength(1);
    // its events still count
    sim.setState(sim.opts.devices[2].deviceURL, 'core:ClosureState', 60);
    await clock.advance(31_000);
    expect((await position('Shutter 3')).value).toBe(40);
    hb!.shutdown();
    await hb!.launch();
    sim.emit({ name: 'DeviceRemovedEvent', deviceURL: sim.opts.devices[2].deviceURL });
    await clock.advance(60 * 60_000);
    expect(hb!.accessories()).toHaveLength(3);
    expect(hb!.log.matching(/Shutter 3: removed/)).toHaveLength(0);
  });
});
