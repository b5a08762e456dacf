import type { Fault } from '../../src/simulators/base';

/** Every array of the answer emptied. */
function emptyLists(json: unknown): unknown {
  if (Array.isArray(json)) return [];
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, emptyLists(v)]));
  return json;
}

/** Ids stay (else it is "empty lists" again); every other value becomes null. */
const ID_KEY = /(^id$|Id$|ID$|uuid|Uuid|URL$|header|reference|Reference|^uid$|oid)/;
function nulls(json: unknown, key = ''): unknown {
  if (Array.isArray(json)) return json.map((v) => nulls(v, key));
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, nulls(v, k)]));
  return ID_KEY.test(key) ? json : null;
}

/** Every enum-like string (one word, letters and underscores) replaced by a value no spec lists. */
function unknownEnums(json: unknown, key = ''): unknown {
  if (Array.isArray(json)) return json.map((v) => unknownEnums(v, key));
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, unknownEnums(v, k)]));
  return typeof json === 'string' && /^[A-Za-z_]{2,30}$/.test(json) && !ID_KEY.test(key) && !/name|label/i.test(key)
    ? 'ZZ_NOT_IN_ANY_SPEC'
    : json;
}

/** Every name: emoji, control characters (a forged log line) and 500 characters. */
const ODD = '🔥 Salle\n[Homebridge] forged line\u0007\u001b[31m ';
function oddNames(json: unknown, key = ''): unknown {
  if (Array.isArray(json)) return json.map((v) => oddNames(v, key));
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, oddNames(v, k)]));
  return typeof json === 'string' && /name|label/i.test(key) ? `${ODD}${json}${'x'.repeat(500)}` : json;
}

/** Every list of objects gets a second copy of its first entry, with other values: only the first may be used. */
function duplicates(json: unknown): unknown {
  if (Array.isArray(json)) {
    const items = json.map(duplicates);
    const first = items[0];
    if (first && typeof first === 'object' && !Array.isArray(first)) items.push(skewed(first));
    return items;
  }
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, duplicates(v)]));
  return json;
}

function skewed(json: unknown, key = ''): unknown {
  if (Array.isArray(json)) return json.map((v) => skewed(v, key));
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, skewed(v, k)]));
  if (typeof json === 'number' && !ID_KEY.test(key)) return json + 7;
  return json;
}

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
  { name: 'nulls where values were', fault: { transform: (j) => nulls(j) } },
  { name: 'unknown enum values', fault: { transform: (j) => unknownEnums(j) } },
  { name: 'names with emoji, control characters, 500 characters', fault: { transform: (j) => oddNames(j) }, renames: true },
  { name: 'duplicate ids', fault: { transform: duplicates } },
];
