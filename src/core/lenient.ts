import { z } from 'zod';

/**
 * Lenient readers for vendor fields, for payloads whose docs allow odd values (Harmonys: "the button values
 * displayed are: \"null\"" for an unknown configuration). Only the fields the plugin reads are validated.
 */

/** A string, with `null`, `"null"`, `""` and any non-string read as absent (never a failure). */
export const looseString = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' && v.trim() !== 'null' ? v : undefined),
  z.string().optional(),
);

/** A boolean, also from "true"/"false"; anything else is absent. */
export const looseBoolean = z.preprocess(
  (v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined),
  z.boolean().optional(),
);

/** An object, or absent when the payload has something else there (`null`, `"null"`, a string). */
export function looseObject<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined), schema.optional());
}

const dropped = new WeakMap<object, { count: number; ids: string[] }>();

/**
 * A list whose bad entries are left out one by one instead of failing the whole reply; `droppedFrom(list)` says
 * how many were left out, for one log line. With `idKey`, `droppedIds(list)` gives the ids of the entries left out
 * that still carry a readable one: the vendor still lists those, so what is known of them must not be dropped.
 */
export function eachValid<S extends z.ZodType>(schema: S, idKey?: string) {
  return z
    .preprocess((v) => (Array.isArray(v) ? v : []), z.array(z.unknown()))
    .transform((items) => {
      const out: Array<z.output<S>> = [];
      const ids: string[] = [];
      for (const item of items) {
        const parsed = schema.safeParse(item);
        if (parsed.success) out.push(parsed.data);
        else if (idKey && item && typeof item === 'object') {
          const id = (item as Record<string, unknown>)[idKey];
          if (typeof id === 'string' && id !== '') ids.push(id);
        }
      }
      if (out.length < items.length) dropped.set(out, { count: items.length - out.length, ids });
      return out;
    });
}

export function droppedFrom(list: object): number {
  return dropped.get(list)?.count ?? 0;
}

export function droppedIds(list: object): readonly string[] {
  return dropped.get(list)?.ids ?? [];
}
