/** Seeded mutations of JSON payloads: what real services send when they are wrong (fuzz tests, `npm run fuzz`). */

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values that break parsers: wrong types, empties, extremes, unknown enums, hostile strings. */
const NASTY: readonly unknown[] = [
  null,
  [],
  {},
  '',
  'UNKNOWN',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '00/00/0000',
  '2099-01-01T00:00:00Z',
  -1,
  0,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  0.1,
  true,
  false,
  'x'.repeat(500),
  '0',
  ' ',
  'line1\nline2\u0000\u001b[31m',
  '🔥🏠',
  [null],
  { value: 1 },
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every path to a value inside `root` (object keys and array indexes). */
function paths(root: unknown, max = 4000): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  const walk = (v: unknown, p: Array<string | number>) => {
    if (out.length >= max) return;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (isObject(v)) for (const k of Object.keys(v)) walk(v[k], [...p, k]);
  };
  walk(root, []);
  return out;
}

/**
 * One to three mutations of a deep copy of `payload`; `focus` (paths joined with ".") draws most mutations to the
 * fields the plugin reads, so that 1,000 cases reach them and not only the long lists it ignores.
 */
export function mutate<T>(payload: T, random: () => number, focus?: RegExp): unknown {
  const copy = structuredClone(payload) as unknown;
  const every = paths(copy);
  const focused = focus ? every.filter((p) => focus.test(p.join('.'))) : [];
  const pick = <U>(xs: readonly U[]) => xs[Math.floor(random() * xs.length)];
  let root: unknown = copy;
  for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
    const path = pick(focused.length > 0 && random() < 0.75 ? focused : every);
    if (path.length === 0) {
      root = pick(NASTY);
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], root);
    const key = path[path.length - 1];
    if (!isObject(parent) && !Array.isArray(parent)) continue;
    const slot = parent as Record<string | number, unknown>;
    const what = random();
    if (what < 0.55) slot[key] = pick(NASTY);
    else if (what < 0.7) delete slot[key];
    else if (what < 0.8 && Array.isArray(parent))
      parent.push(structuredClone(parent[Number(key)])); // a duplicate entry
    else if (what < 0.9 && typeof slot[key] === 'number') slot[key] = String(slot[key]);
    else if (typeof slot[key] === 'string') slot[key] = Number(slot[key]) || `${String(slot[key])}\u202e`;
    else slot[key] = pick(NASTY);
  }
  return root;
}

/** Cases per vendor: 1,000 in `npm test`, FUZZ_CASES (100,000) in `npm run fuzz`. */
export const CASES = Number(process.env.FUZZ_CASES ?? 1000);
/** Seed of the run: FUZZ_SEED to replay one. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
