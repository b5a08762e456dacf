import { HttpClient } from '../../src/core/http';
import { Redactor } from '../../src/core/redact';
import { HomeSmartlinkClient } from '../../src/integrations/homesmartlink/client';
import { demoHomes, HomeSmartlinkSimulator } from '../../src/simulators/homesmartlink';

describe('HomeSmartlink client against the simulator', () => {
  let sim: HomeSmartlinkSimulator;
  let http: HttpClient;
  let client: HomeSmartlinkClient;

  beforeEach(async () => {
    const homes = [...demoHomes(), { homeId: 'third', devices: [] }];
    sim = new HomeSmartlinkSimulator({
      clientId: 'c',
      clientSecret: 's3cret',
      homes,
      nonAckFraction: 0.5,
      invitations: { 'a@b.c': ['school-annex'] },
    });
    await sim.start();
    http = new HttpClient({
      baseUrl: sim.url,
      redactor: new Redactor(['s3cret']),
      headers: { authorization: HomeSmartlinkClient.basicAuth('c', 's3cret') },
    });
    client = new HomeSmartlinkClient(http);
  });

  afterEach(async () => {
    await http.close();
    await sim.stop();
  });

  it('reads every page of /users', async () => {
    const users = await client.users(1);
    expect(users.map((u) => u.homeId)).toEqual(['school-main', 'school-annex', 'third']);
    expect(sim.server.requests.map((r) => r.query)).toEqual(['?page=1&size=1', '?page=2&size=1', '?page=3&size=1', '?page=4&size=1']);
  });

  it('reads invitations (the "reponse" spelling)', async () => {
    const homes = await client.invitations('a@b.c');
    expect(homes.map((h) => h._id)).toEqual(['school-annex']);
    expect(homes[0].rooms?.length).toBe(3);
  });

  it('reports per-home acknowledgement, with a configurable share of deaf gateways', async () => {
    const { startTrigger } = await client.derogations([
      { homeId: 'school-main', roomId: 1, startTime: 600, endTime: 660, delta: 1, date: '2026-11-23' },
      { homeId: 'school-annex', roomId: 1, startTime: 600, endTime: 660, delta: 1, date: '2026-11-23' },
    ]);
    const report = await client.report(startTrigger!);
    expect(report.summary).toMatchObject({ requested: 2, sent: 2, received: 0 });
    expect(report.details.map((d) => [d.homeId, d.acknowledge])).toEqual([
      ['school-main', false],
      ['school-annex', false],
    ]);
  });

  it('refuses derogations that do not share one window', async () => {
    await expect(
      client.derogations([
        { homeId: 'school-main', roomId: 1, startTime: 600, endTime: 660, delta: 1, date: '2026-11-23' },
        { homeId: 'school-main', roomId: 2, startTime: 605, endTime: 660, delta: 1, date: '2026-11-23' },
      ]),
    ).rejects.toThrow(/HTTP 400/);
  });
});
