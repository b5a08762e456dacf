import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertsBySite, disconnectedBySite, districtDevice, siteDevice } from '../../src/integrations/harmonys/devices';
import { disconnectedSchema, inAlertSchema, sitesSchema } from '../../src/integrations/harmonys/schemas';
import { mapHome } from '../../src/integrations/homesmartlink/devices';
import { configReplySchema } from '../../src/integrations/homesmartlink/schemas';
import { hapProblems } from './hapValues';
import { fuzz } from './run';

const json = (vendor: string, f: string) => JSON.parse(readFileSync(join(__dirname, '../fixtures', vendor, f), 'utf8')) as unknown;

/** Harmonys: mutated in-alert and disconnected replies (the doc's samples) -> site and district sensors. */
function harmonys(payload: unknown): string[] {
  const p = payload as { inAlert?: unknown; disconnected?: unknown } | null;
  if (!p || typeof p !== 'object') return [];
  const alerts = alertsBySite(inAlertSchema.parse(p.inAlert));
  const links = disconnectedBySite(disconnectedSchema.parse(p.disconnected));
  const sites = sitesSchema.parse(p.disconnected);
  return [...sites.map((s) => siteDevice(s, alerts.get(s.uuid), links.get(s.uuid))), districtDevice('District', alerts)].flatMap(
    hapProblems,
  );
}

/** HomeSmartlink: mutated /config replies (the doc's samples) -> thermostats; a device listed twice is one. */
function homesmartlink(payload: unknown): string[] {
  const parsed = configReplySchema.safeParse(payload);
  if (!parsed.success) return [];
  const devices = mapHome({ homeId: 'h', reply: parsed.data, now: Date.parse('2026-12-02T09:00:00Z'), staleAfterMs: 7_200_000 });
  const ids = devices.map((m) => m.device.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  return [...(twice.length ? [`published twice: ${twice}`] : []), ...devices.flatMap((m) => hapProblems(m.device))];
}

describe('Harmonys and HomeSmartlink fuzz: mutated doc samples through the schemas and mappings', () => {
  it('Harmonys: no exception, no invalid HomeKit value, no slow case', () => {
    const samples = [{ inAlert: json('harmonys', 'in-alert.json'), disconnected: json('harmonys', 'disconnected.json') }];
    expect(fuzz('harmonys', samples, harmonys, /name|uuid|sites|button|disconnectedProducts/)).toEqual([]);
  });

  it('HomeSmartlink: no exception, no invalid HomeKit value, no device twice, no slow case', () => {
    const samples = [json('homesmartlink', 'config-online.json'), json('homesmartlink', 'config-offline.json')];
    expect(
      fuzz('homesmartlink', samples, homesmartlink, /reply\.\d+\.(pv|sp|mode|header|roomName|roomId|category|online|lastUpdate)/),
    ).toEqual([]);
  });
});
