import type { z } from 'zod';

/**
 * Parses `value` with `schema`; a number outside its allowed range is clamped to the bound with one warning naming
 * the field, instead of disabling the whole account (a user who typed a small interval keeps every accessory).
 */
export function parseClamped<S extends z.ZodType>(schema: S, value: unknown): { result: ReturnType<S['safeParse']>; clamped: string[] } {
  let input = value;
  const clamped: string[] = [];
  for (let round = 0; round < 20; round++) {
    const result = schema.safeParse(input) as ReturnType<S['safeParse']>;
    if (result.success) return { result, clamped };
    const fixes = result.error.issues.flatMap((i) => boundOf(i, input));
    if (fixes.length === 0 || fixes.length !== result.error.issues.length) return { result, clamped };
    input = structuredClone(input);
    for (const { path, bound, was } of fixes) {
      setAt(input, path, bound);
      clamped.push(`${path.join('.')}: ${was} is outside the allowed range, ${bound} is used`);
    }
  }
  return { result: schema.safeParse(input) as ReturnType<S['safeParse']>, clamped };
}

function boundOf(issue: z.core.$ZodIssue, input: unknown): Array<{ path: PropertyKey[]; bound: number; was: unknown }> {
  if ((issue.code !== 'too_small' && issue.code !== 'too_big') || issue.origin !== 'number') return [];
  const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  if (!Number.isFinite(bound) || issue.inclusive === false) return [];
  return [{ path: issue.path, bound, was: getAt(input, issue.path) }];
}

function getAt(source: unknown, path: PropertyKey[]): unknown {
  let node = source;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  return node;
}

function setAt(target: unknown, path: PropertyKey[], value: number): void {
  let node = target as Record<PropertyKey, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<PropertyKey, unknown>;
  node[path[path.length - 1]] = value;
}
