import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config';

describe('parseConfig', () => {
  it('applies defaults to a valid account', () => {
    const cfg = parseConfig({
      homesmartlink: [{ baseUrl: 'https://partner.example/api', clientId: 'id', clientSecret: 'secret', homeIds: ['h1'] }],
    });
    expect(cfg.problems).toEqual([]);
    expect(cfg.accounts).toHaveLength(1);
    expect(cfg.accounts[0].account).toMatchObject({
      pollIntervalSeconds: 120,
      derogation: { durationMinutes: 120, boostDelta: 2, ecoDelta: -2 },
      emails: [],
      allHomes: false,
    });
    expect(cfg.name).toBe('Building Hub');
    expect(cfg.demo).toBe(false);
  });

  it('skips an invalid account with one line naming the field, and keeps the valid ones', () => {
    const cfg = parseConfig({
      homesmartlink: [
        { baseUrl: 'https://a.example', clientId: 'id', homeIds: ['h1'] },
        { baseUrl: 'https://b.example', clientId: 'id2', clientSecret: 's', homeIds: ['h2'] },
        { baseUrl: 'https://c.example', clientId: 'id3', clientSecret: 's', homeIds: ['h3'], pollIntervalSeconds: 5 },
      ],
    });
    expect(cfg.accounts.map((a) => a.index)).toEqual([1, 2]);
    expect(cfg.problems).toHaveLength(1);
    expect(cfg.problems[0]).toMatch(/^homesmartlink\[0\] skipped: clientSecret/);
  });

  it('checks the HomeSmartlink time zone at config time, Europe/Paris by default', () => {
    const base = { baseUrl: 'https://c.example', clientId: 'id', clientSecret: 's', homeIds: ['h'] };
    const cfg = parseConfig({ homesmartlink: [base, { ...base, clientId: 'id2', timezone: 'Europe/Pariss' }] });
    expect(cfg.accounts[0].account).toMatchObject({ timezone: 'Europe/Paris' });
    expect(cfg.problems).toEqual([expect.stringMatching(/^homesmartlink\[1\] skipped: timezone: must be an IANA time zone/)]);
  });

  it('clamps a number below its floor (or above its ceiling) with one warning naming the field; the account starts', () => {
    const cfg = parseConfig({
      homesmartlink: [
        {
          baseUrl: 'https://c.example',
          clientId: 'id3',
          clientSecret: 's',
          homeIds: ['h3'],
          pollIntervalSeconds: 10,
          derogation: { boostDelta: 9 },
        },
      ],
    });
    expect(cfg.problems).toEqual([]);
    expect(cfg.accounts[0].account).toMatchObject({ pollIntervalSeconds: 30, derogation: { boostDelta: 5 } });
    expect(cfg.warnings).toEqual([
      'homesmartlink[0] pollIntervalSeconds: 10 is outside the allowed range, 30 is used',
      'homesmartlink[0] derogation.boostDelta: 9 is outside the allowed range, 5 is used',
    ]);
  });

  it('requires a base URL where the vendor has no public default, and a home source', () => {
    const cfg = parseConfig({
      homesmartlink: [
        { clientId: 'id', clientSecret: 's', homeIds: ['h'] },
        { baseUrl: 'https://x.example', clientId: 'id', clientSecret: 's' },
      ],
    });
    expect(cfg.accounts).toHaveLength(0);
    expect(cfg.problems[0]).toMatch(/baseUrl/);
    expect(cfg.problems[1]).toMatch(/homeIds: list homeIds or emails/);
  });

  it('never throws on garbage', () => {
    expect(() => parseConfig(undefined)).not.toThrow();
    expect(parseConfig({ homesmartlink: 'nope' }).problems[0]).toMatch(/must be a list/);
    expect(parseConfig({ homesmartlink: [null, 3] }).problems).toHaveLength(2);
  });

  it('never echoes a secret in a problem line', () => {
    const cfg = parseConfig({ homesmartlink: [{ baseUrl: 'not a url', clientId: 'id', clientSecret: 'hunter2-secret', homeIds: ['h'] }] });
    expect(cfg.problems.join('\n')).not.toContain('hunter2-secret');
  });
});

describe('the "debug" setting', () => {
  it('raises the plugin debug lines to info', async () => {
    const { FakeHomebridge } = await import('../../helpers/fakeHomebridge');
    const quiet = new FakeHomebridge({
      homesmartlink: [{ baseUrl: 'http://127.0.0.1:1', clientId: 'a', clientSecret: 'b', homeIds: ['h'] }],
    });
    await quiet.launch();
    await quiet.platform.started;
    quiet.shutdown();
    const loud = new FakeHomebridge({
      debug: true,
      homesmartlink: [{ baseUrl: 'http://127.0.0.1:1', clientId: 'a', clientSecret: 'b', homeIds: ['h'] }],
    });
    await loud.launch();
    await loud.platform.started;
    loud.shutdown();
    expect(quiet.log.matching(/attempt 1 failed/, 'debug')).toHaveLength(1);
    expect(loud.log.matching(/attempt 1 failed/, 'info')).toHaveLength(1);
  });
});

describe('settings the plugin does not know', () => {
  it('a vendor key in the wrong case and a misspelt option get one warning each, naming the key meant', () => {
    const parsed = parseConfig({
      platform: 'BuildingHub',
      name: 'Hub',
      Overkiz: [{ server: 'custom', baseUrl: 'https://gw.example:8443/enduser-mobile-web/1/enduserAPI', token: 't' }],
      overkiz: [{ server: 'custom', baseUrl: 'https://gw.example:8443/enduser-mobile-web/1/enduserAPI', token: 't', pollInterval: 30 }],
    });
    expect(parsed.warnings).toEqual([
      'platform block: unknown setting "Overkiz" is ignored; did you mean "overkiz"?',
      'overkiz[0]: unknown setting "pollInterval" is ignored; did you mean "pollIntervalSeconds"?',
    ]);
    expect(parsed.accounts).toHaveLength(1);
  });

  it('the keys Homebridge and the settings form write are known', () => {
    const parsed = parseConfig({
      platform: 'BuildingHub',
      name: 'Hub',
      _bridge: { username: '0E:00:00:00:00:01' },
      demo: true,
      debug: false,
    });
    expect(parsed.warnings).toEqual([]);
  });
});

describe('account rows nobody filled in (what the settings form saves when "Demo mode" is ticked)', () => {
  it('an account holding only the form defaults (or nothing) is left out with a debug note, not an error', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '../../../config.schema.json'), 'utf8'));
    const defaultsOf = (key: string) =>
      Object.fromEntries(
        Object.entries(schema.schema.properties[key].items.properties as Record<string, { default?: unknown }>)
          .filter(([, p]) => p.default !== undefined)
          .map(([k, p]) => [k, p.default]),
      );
    const block = {
      platform: 'BuildingHub',
      demo: true,
      overkiz: [defaultsOf('overkiz')],
      homesmartlink: [defaultsOf('homesmartlink')],
      festime: [{}],
      baxo: [{ tags: [] }],
    };
    const parsed = parseConfig(block);
    expect(parsed.problems).toEqual([]);
    expect(parsed.accounts).toEqual([]);
    expect(parsed.notes).toEqual([
      expect.stringMatching(/^overkiz\[0\] is empty/),
      expect.stringMatching(/^homesmartlink\[0\] is empty/),
      expect.stringMatching(/^festime\[0\] is empty/),
      expect.stringMatching(/^baxo\[0\] is empty/),
    ]);
  });

  it('one field filled in makes it an account: a missing required field is then an error naming it', () => {
    const parsed = parseConfig({ platform: 'BuildingHub', baxo: [{ username: 'me' }] });
    expect(parsed.notes).toEqual([]);
    expect(parsed.problems).toEqual([expect.stringMatching(/^baxo\[0\] skipped: password/)]);
  });
});
