import type { Fault } from '../../src/simulators/base';

/**
 * A JSON answer rebuilt with `leaf` applied to every value that is not an array or an object (with the key it sits
 * under; array items take their array's key) and `list` to every array once its items are rebuilt.
 */
function mapJson(
  json: unknown,
  hooks: { leaf?: (value: unknown, key: string) => unknown; list?: (items: unknown[]) => unknown[] },
  key = '',
): unknown {
  if (Array.isArray(json)) {
    const items = json.map((v) => mapJson(v, hooks, key));
    return hooks.list ? hooks.list(items) : items;
  }
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, mapJson(v, hooks, k)]));
  return hooks.leaf ? hooks.leaf(json, key) : json;
}

const ID_KEY = /(^id$|Id$|ID$|uuid|Uuid|URL$|header|reference|Reference|^uid$|oid)/;
const NAME_KEY = /name|label/i;

/** Every array of the answer emptied. */
const emptyLists = (json: unknown) => mapJson(json, { list: () => [] });

/** Ids stay (else it is "empty lists" again); every other value becomes null. */
const nulls = (json: unknown) => mapJson(json, { leaf: (v, key) => (ID_KEY.test(key) ? v : null) });

/** Every enum-like string (one word, letters and underscores) replaced by a value no spec lists. */
const unknownEnums = (json: unknown) =>
  mapJson(json, {
    leaf: (v, key) =>
      typeof v === 'string' && /^[A-Za-z_]{2,30}$/.test(v) && !ID_KEY.test(key) && !NAME_KEY.test(key) ? 'ZZ_NOT_IN_ANY_SPEC' : v,
  });

/**
 * Every name: emoji, control characters and 500 characters. Each way a string can forge a log line or hide part of
 * one: LF, CR, the Unicode line and paragraph separators, NEL, escape sequences (7-bit and the C1 CSI), a bell and a
 * right-to-left override.
 */
const ODD = '🔥 Salle\n[Homebridge] forged\r line\u2028two\u2029three\u0085four\u0007\u001b[31m\u009b0m\u202eevil ';
const oddNames = (json: unknown) =>
  mapJson(json, { leaf: (v, key) => (typeof v === 'string' && NAME_KEY.test(key) ? `${ODD}${v}${'x'.repeat(500)}` : v) });

/** The same entry with every number that is not an id changed. */
const skewed = (json: unknown) => mapJson(json, { leaf: (v, key) => (typeof v === 'number' && !ID_KEY.test(key) ? v + 7 : v) });

/** Every list of objects gets a second copy of its first entry, with other values: only the first may be used. */
const duplicates = (json: unknown) =>
  mapJson(json, {
    list: (items) => {
      const first = items[0];
      return first && typeof first === 'object' && !Array.isArray(first) ? [...items, skewed(first)] : items;
    },
  });

export interface FaultKind {
  name: string;
  fault: Fault;
  /** The vendor's content changes (names): names may change, values may not. */
  renames?: boolean;
  /** The answer is refused for what the account is (401/403): the vendor's own retry floor applies. */
  auth?: boolean;
  /** The vendor asked for this much quiet (Retry-After): recovery is counted from its end. */
  retryAfterMs?: number;
}

/** The faults real services produce (issue #19), each applied to every request of a vendor while it lasts. */
export const FAULT_KINDS: FaultKind[] = [
  { name: 'timeout', fault: { hang: true } },
  { name: 'connection reset', fault: { reset: true } },
  { name: '500', fault: { status: 500 } },
  {
    name: '503 with an HTML body',
    fault: { status: 503, body: '<html><body><h1>503 Service Unavailable</h1></body></html>', headers: { 'content-type': 'text/html' } },
  },
  {
    name: '429 with Retry-After',
    fault: { status: 429, headers: { 'retry-after': '120' }, body: '{"error":"Too many requests"}' },
    retryAfterMs: 120_000,
  },
  { name: '401', fault: { status: 401, body: '{"error":"Unauthorized"}' }, auth: true },
  { name: '403', fault: { status: 403, body: '{"error":"Forbidden"}' }, auth: true },
  { name: 'garbage', fault: { status: 200, body: '\u0000\u00ff not json at all <<<', headers: { 'content-type': 'application/json' } } },
  { name: 'valid JSON of the wrong shape', fault: { status: 200, body: '{"unexpected":[1,2,3],"data":"nope"}' } },
  { name: 'truncated body', fault: { malformed: true } },
  { name: 'a 5 MB body', fault: { hugeBytes: 5_000_000 } },
  { name: 'empty lists', fault: { transform: emptyLists } },
  { name: 'nulls where values were', fault: { transform: nulls } },
  { name: 'unknown enum values', fault: { transform: unknownEnums } },
  { name: 'names with emoji, control characters, 500 characters', fault: { transform: oddNames }, renames: true },
  { name: 'duplicate ids', fault: { transform: duplicates } },
];
