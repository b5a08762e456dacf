import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BaxoSimulator, demoBaxo } from '../../src/simulators/baxo';
import { demoHarmonys, HarmonysSimulator } from '../../src/simulators/harmonys';
import { FakeHomebridge } from '../helpers/fakeHomebridge';
import { ManualClock } from '../helpers/manualClock';

/** The one lifecycle rule, through the platform, for the vendors whose lists come from a catalogue or the config. */
describe('device lifecycle per vendor (manual clock)', () => {
  let clock: ManualClock;
  let hb: FakeHomebridge | undefined;

  beforeEach(() => {
    clock = new ManualClock();
  });

  afterEach(() => {
    hb?.shutdown();
    hb?.dispose();
    hb = undefined;
  });

  describe('Harmonys', () => {
    let sim: HarmonysSimulator;
    const KEY = 'school-api-key-0123456789abcdef';
    const BUTTON = 'b7e1a9c0-0001-4f1e-8a2b-6c3d5e7f9a01';

    beforeEach(async () => {
      sim = new HarmonysSimulator(demoHarmonys(KEY));
      await sim.start();
      clock.busy = () => sim.server.inFlight > 0 || (hb?.inFlight() ?? 0) > 0;
      hb = new FakeHomebridge(
        { harmonys: [{ label: 'Schools', baseUrl: sim.url, apiKey: KEY, pollIntervalSeconds: 60, buttons: [{ buttonUuid: BUTTON }] }] },
        clock,
      );
    });

    afterEach(async () => {
      await sim.stop();
    });

    it('a site gone from the catalogue is removed once, after a second catalogue read 10+ minutes later', async () => {
      await hb!.launch();
      await hb!.platform.started;
      expect(hb!.accessories()).toHaveLength(6);
      sim.opts.sites.pop();
      await clock.advance(60 * 60_000);
      expect(hb!.log.matching(/City kindergarten: no longer listed/)).toHaveLength(1);
      const reads = sim.server.count('GET', '/api/v1/sites/all');
      await clock.advance(11 * 60_000);
      expect(hb!.byName('City kindergarten')).toBeUndefined();
      expect(sim.server.count('GET', '/api/v1/sites/all')).toBe(reads + 1);
      expect(hb!.log.matching(/City kindergarten: removed/)).toHaveLength(1);
      await clock.advance(2 * 60 * 60_000);
      expect(hb!.log.matching(/City kindergarten: added/)).toHaveLength(1);
      expect(hb!.accessories()).toHaveLength(5);
    });

    it('/sites/all answering [] once, then the full list: nothing removed, same accessories', async () => {
      await hb!.launch();
      await hb!.platform.started;
      const uuids = hb!
        .accessories()
        .map((a) => a.UUID)
        .sort();
      const sites = sim.opts.sites;
      sim.opts.sites = [];
      await clock.advance(60 * 60_000);
      expect(hb!.log.matching(/not taken as a removal/, 'warn')).toHaveLength(1);
      sim.opts.sites = sites;
      await clock.advance(3 * 60 * 60_000);
      expect(
        hb!
          .accessories()
          .map((a) => a.UUID)
          .sort(),
      ).toEqual(uuids);
      expect(hb!.log.matching(/: removed \(/)).toHaveLength(0);
    });
  });

  describe('BAXO', () => {
    let sim: BaxoSimulator;
    const tags = [
      { deviceId: '14587', tagReference: 'TEMP', as: 'temperature', name: 'Server room temperature' },
      { deviceId: '3219875446', tagReference: 'LEAK_FLOOR', as: 'leak', name: 'Floor leak' },
    ];
    const config = (list: object[]) => ({
      baxo: [
        { label: 'Plant', baseUrl: sim.url, username: 'fm@example.org', password: 'baxo-secret-1', pollIntervalSeconds: 60, tags: list },
      ],
    });

    beforeEach(async () => {
      sim = new BaxoSimulator(demoBaxo('fm@example.org', 'baxo-secret-1'));
      await sim.start();
      clock.busy = () => sim.server.inFlight > 0 || (hb?.inFlight() ?? 0) > 0;
    });

    afterEach(async () => {
      await sim.stop();
    });

    it('a device whose tags left the configuration goes after the first discovery and the grace, not at once', async () => {
      hb = new FakeHomebridge(config(tags), clock);
      await hb.launch();
      await hb.platform.started;
      expect(hb.accessories()).toHaveLength(2);
      hb.shutdown();
      hb.reconfigure(config(tags.slice(0, 1)));
      await hb.launch();
      await clock.advance(5 * 60_000);
      expect(hb.accessories()).toHaveLength(2);
      await clock.advance(6 * 60_000);
      expect(hb.accessories()).toHaveLength(1);
    });

    it('an Eve history that cannot be stored: the accessory is published without it, the others too, one line', async () => {
      hb = new FakeHomebridge(config(tags), clock);
      mkdirSync(join(hb.storage, 'building-hub'), { recursive: true });
      writeFileSync(join(hb.storage, 'building-hub', 'history'), 'not a folder');
      await hb.launch();
      await hb.platform.started;
      expect(hb.accessories()).toHaveLength(2);
      expect(hb.log.matching(/Eve history not available/, 'warn')).toHaveLength(1);
      expect(hb.log.matching(/reading the tags failed/)).toHaveLength(0);
    });
  });
});
