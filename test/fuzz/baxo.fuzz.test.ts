import { baxoAccountSchema } from '../../src/integrations/baxo/account';
import { baxoDevice, TAG_KINDS, type TagReading } from '../../src/integrations/baxo/devices';
import { realtimeSchema } from '../../src/integrations/baxo/schemas';
import { fromBaxoTime, isStale } from '../../src/integrations/baxo/values';
import { hapProblems } from './hapValues';
import { fuzz } from './run';

const NOW = Date.parse('2026-12-02T09:00:00Z');
/** The doc's realtime reply (its sample, with its typo repaired), one log per tag kind. */
const samples = TAG_KINDS.map((as, i) => ({
  tag: { deviceId: 'device1', tagReference: `TAG_${i}`, as, scale: 1, offset: 0 },
  reply: {
    logs: [
      {
        deviceIdentifiant: 'device1',
        tagReference: `TAG_${i}`,
        value: as === 'co2' ? '612' : '21.5',
        timestamp: 817_894_800,
        isEvent: false,
      },
    ],
  },
}));

/** A mutated tag config and realtime reply: parsed (or refused as a whole reply), mapped, valid for HomeKit. */
function check(payload: unknown): string[] {
  const p = payload as { tag?: unknown; reply?: unknown } | null;
  if (!p || typeof p !== 'object') return [];
  // the tag as the plugin reads it: through the account's schema (a config it refuses never runs)
  const account = baxoAccountSchema.safeParse({ username: 'u', password: 'p', tags: [p.tag] });
  if (!account.success) return [];
  const [tag] = account.data.tags;
  const parsed = realtimeSchema.safeParse(p.reply);
  if (!parsed.success) return [];
  const readings = new Map<string, TagReading>();
  for (const log of parsed.data.logs) {
    const at = fromBaxoTime(log.timestamp);
    readings.set(String(log.tagReference), { value: log.value, at, isEvent: log.isEvent, stale: isStale(at, NOW, 60_000) });
  }
  return hapProblems(baxoDevice('device1', 'Plant room', 0, [tag], readings));
}

describe('BAXO fuzz: mutated doc-sample replies and tag configs through the schemas and mappings', () => {
  it('no exception, no invalid HomeKit value, no slow case', () => {
    expect(fuzz('baxo', samples, check, /value|timestamp|scale|offset|tagReference/)).toEqual([]);
  });
});
