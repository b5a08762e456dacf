import { OVERKIZ_SERVER_NAMES, OVERKIZ_SERVERS } from '../../../src/integrations/overkiz/account';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaKeys } from '../../../src/core/unknownKeys';
import { VENDORS } from '../../../src/integrations';

import { PLATFORM_NAME, PLUGIN_NAME } from '../../../src/settings';

const root = join(__dirname, '..', '..', '..');
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
    expect(pkg.devDependencies.homebridge).toMatch(/^2\.4\./);
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
});
