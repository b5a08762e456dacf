import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config';
import { VENDORS } from '../../../src/integrations';
import { startDemo } from '../../../src/simulators/demo';

const root = join(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'config.schema.json'), 'utf8'));

/** Every .ts file below a folder. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : [],
  );
}

describe('the vendor registry is the only list of vendors', () => {
  const keys = VENDORS.map((v) => v.configKey);

  it('has one entry per vendor folder, and the settings form one array per entry', () => {
    const folders = readdirSync(join(root, 'src/integrations')).filter((f) => statSync(join(root, 'src/integrations', f)).isDirectory());
    expect([...folders].sort()).toEqual([...keys].sort());
    const formVendors = Object.keys(schema.schema.properties).filter((k) => schema.schema.properties[k].type === 'array');
    expect(formVendors.sort()).toEqual([...keys].sort());
  });

  it('config parsing and the demo take their vendors from it (a registry without a vendor knows nothing of it)', async () => {
    const [first, ...rest] = VENDORS;
    const parsed = parseConfig({ [first.configKey]: [{}] }, rest);
    expect(parsed.accounts).toEqual([]);
    expect(parsed.problems).toEqual([]);
    const abort = new AbortController();
    const demo = await startDemo(abort.signal, rest);
    try {
      expect(demo.accounts.map((a) => a.vendor.configKey)).toEqual(rest.map((v) => v.configKey));
    } finally {
      abort.abort();
      await demo.stop();
    }
  });

  it('no file outside a vendor folder, its simulator and the registry names a vendor', () => {
    const shared = [...files(join(root, 'src/core')), ...files(join(root, 'src/homekit'))];
    shared.push(
      ...['platform.ts', 'config.ts', 'index.ts', 'settings.ts', 'simulators/demo.ts', 'simulators/base.ts'].map((f) =>
        join(root, 'src', f),
      ),
    );
    shared.push(...['base.ts', 'integration.ts', 'vendorEntry.ts', 'accountSchema.ts'].map((f) => join(root, 'src/integrations', f)));
    const pattern = new RegExp(`\\b(${keys.join('|')})\\b`, 'i');
    const naming = shared.filter((f) => pattern.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(naming).toEqual([]);
  });
});
