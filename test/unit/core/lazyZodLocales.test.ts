import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');

/** Runs a script in a fresh node against dist (built by `npm test`): Jest's module registry ignores require.cache. */
function run(script: string): unknown {
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DIST } });
  return JSON.parse(out);
}

const LOCALES_LOADED = `Object.keys(require.cache).filter((f) => f.includes('/zod/v4/locales/')).map((f) => f.split('/').pop()).sort()`;

describe("zod's locales are loaded on first use only", () => {
  it('the plugin and zod load only the English locale, and messages stay English', () => {
    const result = run(`require(process.env.DIST + '/index.js');
      const { z } = require('zod');
      const message = z.object({ port: z.number() }).safeParse({ port: 'x' }).error.issues[0].message;
      process.stdout.write(JSON.stringify({ loaded: ${LOCALES_LOADED}, message }))`);
    expect(result).toEqual({ loaded: ['en.cjs', 'index.cjs'], message: 'Invalid input: expected number, received string' });
  });

  it('every locale is still there, loaded when read', () => {
    const result = run(`require(process.env.DIST + '/index.js');
      const { z } = require('zod');
      const names = Object.keys(z.locales).length;
      z.config(z.locales.de());
      const message = z.string().safeParse(1).error.issues[0].message;
      process.stdout.write(JSON.stringify({ names, message, loaded: ${LOCALES_LOADED} }))`);
    expect(result).toEqual({
      names: 63,
      message: 'Ungültige Eingabe: erwartet string, erhalten Zahl',
      loaded: ['de.cjs', 'en.cjs', 'index.cjs'],
    });
  });

  it("the stand-in has zod's own names and gives the very same locale functions; a zod loaded before is left alone", () => {
    const result = run(`const indexFile = require.resolve('zod/v4/locales');
      const real = require(indexFile);
      const mod = require(process.env.DIST + '/core/lazyZodLocales.js');
      const stand = mod.lazyLocaleIndex(require('node:path').dirname(indexFile));
      const names = Object.keys(real).filter((k) => k !== '__esModule');
      process.stdout.write(JSON.stringify({
        installed: mod.lazyZodLocalesInstalled,
        stillReal: require.cache[indexFile].exports === real,
        sameNames: JSON.stringify(Object.keys(stand).sort()) === JSON.stringify(names.sort()),
        count: names.length,
        different: names.filter((k) => typeof real[k] !== 'function' || stand[k] !== real[k]),
      }))`);
    expect(result).toEqual({ installed: false, stillReal: true, sameNames: true, count: 63, different: [] });
  });
});
