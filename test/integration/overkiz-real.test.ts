import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OverkizIntegration } from '../../src/integrations/overkiz/integration';
import { overkizAccountSchema } from '../../src/integrations/overkiz/account';
import { mapOverkizDevice } from '../../src/integrations/overkiz/devices';
import { kindOf } from '../../src/integrations/overkiz/families';
import { HIDDEN_UI_CLASSES, NOT_YET_MAPPED } from '../../src/integrations/overkiz/hidden';
import { setupSchema } from '../../src/integrations/overkiz/schemas';
import { OverkizSimulator } from '../../src/simulators/overkiz';
import { CapturedLog } from '../helpers/logs';
import { ManualClock } from '../helpers/manualClock';
import { tempDir } from '../helpers/tempDir';

const REAL = join(__dirname, '../fixtures/overkiz/real');
const read = (file: string) => JSON.parse(readFileSync(join(REAL, file), 'utf8')) as unknown;
const SETUPS = readdirSync(REAL)
  .filter((f) => /^setup_.*\.json$/.test(f))
  .sort();
const INFRASTRUCTURE = ['Pod', 'ProtocolGateway', 'NetworkComponent', 'Wifi'];

describe('real /setup payloads: coverage', () => {
  const all = SETUPS.flatMap((f) => setupSchema.parse(read(f)).devices);

  it('holds every shared account (15), local and cloud', () => {
    expect(SETUPS.length).toBeGreaterThanOrEqual(15);
  });

  it('every device no family takes is of a kind listed as hidden (with its reason) or not mapped yet', () => {
    const gaps = all
      .filter((d) => mapOverkizDevice(d) === undefined)
      .map((d) => kindOf(d).uiClass)
      .filter((ui) => !(ui in HIDDEN_UI_CLASSES) && !(ui in NOT_YET_MAPPED));
    expect([...new Set(gaps)]).toEqual([]);
  });

  it('publishes at least 93 % of the devices that are not gateways, pods or network nodes', () => {
    const devices = all.filter((d) => !INFRASTRUCTURE.includes(kindOf(d).uiClass));
    const published = devices.filter((d) => mapOverkizDevice(d) !== undefined).length;
    // 202 of 215 today; issue #13 asks for 95 %: the kinds listed in NOT_YET_MAPPED are what is missing.
    expect(published / devices.length).toBeGreaterThanOrEqual(0.93);
  });
});

/** Real payloads through the whole integration path: the simulator serves them as the real server did. */
describe.each(SETUPS)('real /setup %s through the Overkiz integration', (file) => {
  const setup = setupSchema.parse(read(file));
  const local = file.startsWith('setup_local');

  it('parses, publishes every device the mapping knows, and takes the real events without an error line', async () => {
    const clock = new ManualClock();
    const sim = new OverkizSimulator({
      userId: 'me@example.org',
      password: 'real-pass-1',
      devices: setup.devices,
      gatewayId: setup.gateways[0]?.gatewayId,
      now: () => clock.now(),
      ...(local ? { bearer: 'local-token-123' } : {}),
    });
    await sim.start();
    const log = new CapturedLog();
    const credentials = local ? { token: 'local-token-123' } : { username: 'me@example.org', password: 'real-pass-1' };
    const account = overkizAccountSchema.parse({ label: 'Real', server: 'custom', baseUrl: sim.url, ...credentials });
    const integration = new OverkizIntegration(account, { log, clock, storagePath: tempDir('okz-real') });
    clock.busy = () => sim.server.inFlight > 0 || integration.http.inFlight > 0;
    const abort = new AbortController();
    try {
      await integration.start(abort.signal);
      const expected = setup.devices.filter((d) => mapOverkizDevice(d) !== undefined).map((d) => d.deviceURL);
      expect(
        integration
          .devices()
          .map((d) => d.id)
          .sort(),
      ).toEqual([...expected].sort());
      for (const event of read(local ? 'local_events.json' : 'events.json') as Array<Record<string, unknown>>) sim.emit(event);
      await clock.advance(3000);
      expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
      // available exactly as the payload says (a real account has devices that do not answer)
      const answering = new Set(setup.devices.filter((d) => d.available && d.enabled).map((d) => d.deviceURL));
      expect(integration.devices().filter((d) => !d.id.startsWith('scenario:') && d.available !== answering.has(d.id))).toEqual([]);
    } finally {
      abort.abort();
      await sim.stop();
    }
  });
});
