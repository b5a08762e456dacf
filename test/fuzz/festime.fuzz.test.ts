import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { festimeDevices } from '../../src/integrations/festime/devices';
import { parseInfos, parsePointages } from '../../src/integrations/festime/parse';
import { isPresent, presenceFrom } from '../../src/integrations/festime/presence';
import { hapProblems } from './hapValues';
import { fuzz } from './run';

const NOW = Date.parse('2019-01-08T15:00:00+01:00');
const sample = (f: string) => readFileSync(join(__dirname, '../fixtures/festime', f), 'latin1');
/** A text reply as rows of fields, so that the mutations hit fields (then joined back with ";" and "~"). */
const table = (text: string) => text.split('~').map((row) => row.split(';'));
const text = (t: unknown) =>
  Array.isArray(t) ? t.map((row) => (Array.isArray(row) ? row.map((f) => String(f)).join(';') : String(row))).join('~') : String(t);

function check(payload: unknown): string[] {
  const p = payload as { pointages?: unknown; infos?: unknown } | null;
  if (!p || typeof p !== 'object') return [];
  // a reply without its legend is refused as a whole, with a typed ProtocolError (run.ts lets those through)
  const events = parsePointages(text(p.pointages), 'Europe/Paris');
  parseInfos(text(p.infos), 'Europe/Paris');
  for (const e of events) if (!Number.isFinite(e.at)) return [`event ${e.id} at ${e.at}`];
  const presence = presenceFrom(events, NOW - 12 * 3_600_000, NOW);
  const future = [...presence.values()].filter((x) => x.at > NOW + 10 * 60_000);
  if (future.length > 0) return [`presence from an event dated ahead: ${future.map((f) => f.uid)}`];
  const people = [...presence.values()].map((x) => ({ uid: x.uid, name: x.name, present: isPresent(x, false) }));
  const view = {
    label: 'Office',
    people,
    accessPoints: new Map<string, boolean>(),
    anyone: people.some((x) => x.present),
    problems: new Map(),
  };
  return festimeDevices(view).flatMap(hapProblems);
}

describe('Festime fuzz: mutated doc-sample replies through the parsers and mappings', () => {
  it('no exception but the typed refusal, no invalid HomeKit value, no presence from the future, no slow case', () => {
    const samples = [{ pointages: table(sample('pointage-doc-sample.txt')), infos: table(sample('infos-doc-sample.txt')) }];
    expect(fuzz('festime', samples, check, /pointages\.\d+\.\d+/)).toEqual([]);
  });
});
