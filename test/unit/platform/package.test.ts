import { OVERKIZ_SERVER_NAMES, OVERKIZ_SERVERS } from '../../../src/integrations/overkiz/account';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { schemaKeys } from '../../../src/core/unknownKeys';
import { VENDORS } from '../../../src/integrations';

import { PLATFORM_NAME, PLUGIN_NAME } from '../../../src/settings';

const root = join(__dirname, '..', '..', '..');
// npm's own range semantics; semver is in every install (npm, jest and Homebridge use it), its types are not needed.
const semver = createRequire(__filename)('semver') as { satisfies(version: string, range: string): boolean };
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const schema = JSON.parse(readFileSync(join(root, 'config.schema.json'), 'utf8'));

describe('package rules the Homebridge verification checks', () => {
  it('has no install scripts', () => {
    for (const s of ['preinstall', 'install', 'postinstall']) expect(pkg.scripts?.[s]).toBeUndefined();
  });

  it('keeps homebridge and hap-nodejs in devDependencies only', () => {
    for (const section of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundledDependencies']) {
      for (const name of ['homebridge', 'hap-nodejs', '@homebridge/hap-nodejs']) expect(pkg[section]?.[name]).toBeUndefined();
    }
    expect(pkg.devDependencies.homebridge).toMatch(/^1\.11\./);
  });

  // The oldest release of each node line: the plugin's engines (what users run) and the development toolchain's.
  const RUNTIME_NODES = ['20.18.0', '22.12.0', '24.0.0'];
  const DEVELOPMENT_NODES = ['20.19.0', '22.13.0', '24.0.0'];

  it('installs without EBADENGINE on every supported node: no locked package refuses the oldest release of a line', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }>;
    };
    const refusing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!range) continue;
      for (const node of entry.dev ? DEVELOPMENT_NODES : RUNTIME_NODES)
        if (!semver.satisfies(node, range)) refusing.push(`${path} (node ${range}) refuses ${node}`);
    }
    expect(refusing).toEqual([]);
    for (const node of RUNTIME_NODES) expect(semver.satisfies(node, pkg.engines.node)).toBe(true);
  });

  it('declares engines, keywords and https links', () => {
    expect(pkg.name).toBe(PLUGIN_NAME);
    expect(pkg.engines.homebridge).toBe('^1.8.0 || ^2.0.0');
    expect(pkg.engines.node).toBe('^20.18.0 || ^22.12.0 || ^24.0.0');
    expect(pkg.keywords).toEqual(expect.arrayContaining(['homebridge-plugin', 'supports-hap']));
    expect(pkg.keywords.length).toBeGreaterThan(2);
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\//);
  });

  it('exports the initializer that registers the platform under the schema alias', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const init = require(join(root, pkg.main));
    const registered: string[] = [];
    (typeof init === 'function' ? init : init.default)({ registerPlatform: (name: string) => registered.push(name) });
    expect(registered).toEqual([PLATFORM_NAME]);
    expect(schema.pluginAlias).toBe(PLATFORM_NAME);
    expect(schema.pluginType).toBe('platform');
  });

  it('has a config.schema.json that compiles under AJV with a name property', () => {
    const ajv = new Ajv({ strict: false });
    // The settings UI checks these formats itself; AJV only needs to know them.
    ajv.addFormat('uri', true).addFormat('email', true);
    const validate = ajv.compile(schema.schema);
    expect(schema.schema.properties.name).toBeDefined();
    expect(validate({ name: 'Building Hub', homesmartlink: [{ clientId: 'a', clientSecret: 'b', homeIds: ['h'] }] })).toBe(true);
  });

  it('offers every Overkiz server preset in the settings form, and only those', () => {
    const offered = schema.schema.properties.overkiz.items.properties.server.oneOf.map((o: { enum: string[] }) => o.enum[0]);
    expect([...offered].sort()).toEqual(['custom', ...Object.keys(OVERKIZ_SERVERS)].sort());
    // each with the brand name the log lines use
    const titles = Object.fromEntries(
      schema.schema.properties.overkiz.items.properties.server.oneOf.map((o: { enum: string[]; title: string }) => [o.enum[0], o.title]),
    );
    expect(titles).toEqual(OVERKIZ_SERVER_NAMES);
  });

  it.each(VENDORS.map((v) => [v.configKey, v] as const))(
    'mirrors every %s account field of the zod schema in the settings form',
    (key, vendor) => {
      const zodKeys = schemaKeys(vendor.schema);
      const formKeys = Object.keys(schema.schema.properties[key].items.properties);
      expect(formKeys.sort()).toEqual(zodKeys.sort());
    },
  );

  describe('the settings form a facility manager fills in', () => {
    const vendors = ['overkiz', 'homesmartlink', 'harmonys', 'baxo', 'festime'];
    const items = (v: string) => Object.entries(schema.schema.properties[v].items.properties as Record<string, Record<string, unknown>>);

    it('every id the user types says where to find it', () => {
      const ids = [
        schema.schema.properties.homesmartlink.items.properties.homeIds,
        schema.schema.properties.harmonys.items.properties.buttons.items.properties.buttonUuid,
        schema.schema.properties.harmonys.items.properties.buttons.items.properties.siteUuids,
        schema.schema.properties.baxo.items.properties.tags.items.properties.deviceId,
        schema.schema.properties.baxo.items.properties.tags.items.properties.tagReference,
        schema.schema.properties.festime.items.properties.people.items.properties.uid,
      ];
      for (const id of ids) expect(id.description).toMatch(/lists|shows|log/);
    });

    it('numbers are number inputs (no minimum + maximum pair, which renders a slider), with the range in the title', () => {
      const sliders = vendors.flatMap((v) =>
        items(v)
          .filter(([, p]) => p.minimum !== undefined && p.maximum !== undefined)
          .map(([k]) => `${v}.${k}`),
      );
      expect(sliders).toEqual([]);
      expect(schema.schema.properties.homesmartlink.items.properties.pollIntervalSeconds.title).toMatch(/seconds, 30.86.400/);
    });

    it('account fields carry no default that would save a phantom account (only a default the form must show)', () => {
      const withDefault = vendors.flatMap((v) =>
        items(v)
          .filter(([, p]) => p.default !== undefined)
          .map(([k]) => `${v}.${k}`),
      );
      expect(withDefault).toEqual(['overkiz.alarmDisarmFromHome']);
    });

    it('one collapsed fieldset per vendor with every field once; certificates multi-line; Overkiz login fields by server', () => {
      const fieldsets = schema.layout.filter((l: { type?: string }) => l.type === 'fieldset');
      expect(fieldsets.map((f: { items: Array<{ key: string }> }) => f.items[0].key)).toEqual(vendors);
      for (const f of fieldsets) {
        expect(f).toMatchObject({ expandable: true, expanded: false });
        const vendor = f.items[0].key;
        const listed = f.items[0].items.map((i: { key: string }) => i.key.replace(`${vendor}[].`, ''));
        expect(listed).toEqual(items(vendor).map(([k]) => k));
      }
      for (const v of ['overkiz', 'harmonys'])
        expect(schema.schema.properties[v].items.properties.caCertificate['x-schema-form']).toEqual({ type: 'textarea' });
      const overkiz = fieldsets[0].items[0].items as Array<{ key: string; condition?: { functionBody: string } }>;
      const shown = (key: string, account: object) => {
        const c = overkiz.find((i) => i.key === `overkiz[].${key}`)!.condition;
        // the settings form evaluates conditions with `model` and `arrayIndices`
        return c
          ? (new Function('model', 'arrayIndices', c.functionBody) as (m: object, i: number) => boolean)({ overkiz: [account] }, 0)
          : true;
      };
      expect(shown('refreshToken', { server: 'rexel' })).toBe(true);
      expect(shown('refreshToken', { server: 'somfy_europe' })).toBe(false);
      expect(shown('atlanticApiUrl', { server: 'thermor_cozytouch' })).toBe(true);
      expect(shown('gatewayPin', { server: 'somfy_europe' })).toBe(false);
      expect(shown('gatewayPin', { server: 'somfy_europe', localApi: true })).toBe(true);
      expect(shown('username', { server: 'atlantic_cozytouch' })).toBe(true);
    });
  });
});
