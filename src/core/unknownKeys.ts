import type { z } from 'zod';

/** The object shape of a schema, under its refinements, transforms and pipes. */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  let s = schema as unknown as { shape?: Record<string, z.ZodType>; def?: { in?: unknown; schema?: unknown } };
  while (!s.shape && s.def) s = (s.def.in ?? s.def.schema) as typeof s;
  return s.shape ?? {};
}

/** The keys of an object schema, under its refinements, transforms and pipes. */
export function schemaKeys(schema: z.ZodType): string[] {
  return Object.keys(shapeOf(schema));
}

/** The keys an account cannot leave out: no default, not optional (the settings page marks them). */
export function requiredKeys(schema: z.ZodType): string[] {
  return Object.entries(shapeOf(schema))
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key);
}

export const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * An account nobody filled in: every field empty or at its default (what a settings form saves for an account row
 * it showed). It is left out with a debug line, not reported as an error.
 */
export function isUntouched(schema: z.ZodType, item: unknown): boolean {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return false;
  const shape = shapeOf(schema);
  return Object.entries(item).every(([k, v]) => {
    if (isEmpty(v)) return true;
    const field = shape[k];
    const fallback = field?.safeParse(undefined);
    return fallback?.success === true && JSON.stringify(fallback.data) === JSON.stringify(v);
  });
}

/** Edit distance, case-insensitive: "Overkiz" is 0 from "overkiz", "pollInterval" 7 from "pollIntervalSeconds". */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length];
}

/** The known key a misspelt one most likely meant: the nearest, or one that starts the same way. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const prefix = known.find((k) => k.toLowerCase().startsWith(key.toLowerCase()) || key.toLowerCase().startsWith(k.toLowerCase()));
  const [best] = [...known].sort((a, b) => distance(key, a) - distance(key, b));
  if (best !== undefined && distance(key, best) <= Math.max(2, Math.floor(key.length / 3))) return best;
  return prefix;
}

/** One line per key that is not a known one, naming the closest known key. */
export function unknownKeyWarnings(where: string, value: unknown, known: readonly string[]): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value)
    .filter((k) => !known.includes(k))
    .map((k) => {
      const near = closestKey(k, known);
      return `${where}: unknown setting "${k}" is ignored${near ? `; did you mean "${near}"?` : ''}`;
    });
}
