import { readdirSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';

type LocaleIndex = Record<string, unknown> & { __esModule: true };

/**
 * zod 4's CommonJS entry requires all 63 of its locales only to re-export them as `z.locales` (about 1 MB of heap and
 * 3 MB of RSS in every bridge); its messages come from the English locale, which its schemas require by themselves.
 * This puts a stand-in for the locale index into require's cache before zod loads: the same names, each loading its
 * locale when first read, so `z.locales.de` still works here and in any plugin that shares this copy of zod.
 * It changes nothing when zod is already loaded, and gives up quietly if zod's files are not laid out as expected.
 * Returns whether the stand-in was installed.
 */
export function installLazyZodLocales(): boolean {
  try {
    const indexFile = require.resolve('zod/v4/locales');
    if (require.cache[indexFile] !== undefined || basename(indexFile) !== 'index.cjs') return false;
    const exports = lazyLocaleIndex(dirname(indexFile));
    if (!('en' in exports)) return false;
    const stand = new Module(indexFile);
    stand.filename = indexFile;
    stand.loaded = true;
    stand.exports = exports;
    require.cache[indexFile] = stand;
    return true;
  } catch {
    return false;
  }
}

/** A locale file's default export, read the way zod's index reads it (its files set `module.exports` to it). */
function defaultExport(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(file) as { __esModule?: boolean; default?: unknown };
  return loaded.__esModule === true ? loaded.default : loaded;
}

/** `fr-CA.cjs` is exported as `frCA`, as zod's own index does. */
export function lazyLocaleIndex(dir: string): LocaleIndex {
  const index = Object.defineProperty({}, '__esModule', { value: true }) as LocaleIndex;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.cjs') || file === 'index.cjs') continue;
    const name = file.slice(0, -'.cjs'.length).replace(/-/g, '');
    Object.defineProperty(index, name, {
      enumerable: true,
      get: () => defaultExport(join(dir, file)),
    });
  }
  return index;
}

// Installed on load: src/index.ts imports this module before anything that loads zod.
export const lazyZodLocalesInstalled = installLazyZodLocales();
