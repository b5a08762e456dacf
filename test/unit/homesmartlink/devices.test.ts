import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Device, ThermostatCapability } from '../../../src/core/model';
import { demandResponseDevice, duplicateHeaders, instantOf, mapHome, shownTarget } from '../../../src/integrations/homesmartlink/devices';
import { configReplySchema, derogationsReplySchema, reportReplySchema } from '../../../src/integrations/homesmartlink/schemas';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/homesmartlink', name), 'utf8'));
const NOW = Date.parse('2026-11-23T09:00:00Z');
const STALE = 2 * 60 * 60_000;
const thermostat = (d: Device) => d.capabilities[0] as ThermostatCapability;

describe('HomeSmartlink payload -> devices', () => {
  const online = mapHome({
    homeId: 'home-a',
    reply: configReplySchema.parse(fixture('config-online.json')),
    now: NOW,
    staleAfterMs: STALE,
  }).map((m) => m.device);

  it('maps every heater-like category to one thermostat, and nothing else', () => {
    expect(online.map((d) => [d.name, d.model])).toEqual([
      ['Salon 1', 'Heater'],
      ['Salon 2', 'Heater'],
      ['Salle de bain', 'Towel dryer'],
      ['Séjour', 'Fireplace'],
      ['Room 4', 'Furnace'],
    ]);
    expect(online.every((d) => d.capabilities.length === 1 && d.capabilities[0].kind === 'thermostat')).toBe(true);
  });

  it('a device listed twice in one home is one device (the first entry), and the reply says which', () => {
    const reply = configReplySchema.parse(fixture('config-online.json'));
    const heater = reply.reply.find((d) => d.category === 'Heater')!;
    const twice = { ...reply, reply: [...reply.reply, { ...heater, sp: 5, roomName: 'Copy' }] };
    const devices = mapHome({ homeId: 'home-a', reply: twice, now: NOW, staleAfterMs: STALE }).map((m) => m.device);
    expect(devices.map((d) => d.id)).toEqual(online.map((d) => d.id));
    expect(devices.map((d) => d.name)).toEqual(online.map((d) => d.name));
    expect(duplicateHeaders(twice)).toEqual([heater.header]);
    expect(duplicateHeaders(reply)).toEqual([]);
  });

  it('a device already shown whose category turns unknown stays, with its last model, values and a fault', () => {
    const reply = configReplySchema.parse(fixture('config-online.json'));
    const odd = { ...reply, reply: reply.reply.map((d) => (d.category === 'TowelDryier' ? { ...d, category: 'ZZ_NEW' } : d)) };
    const dryer = online.find((d) => d.model === 'Towel dryer')!;
    const before = (id: string) => online.find((d) => d.id === id);
    const kept = mapHome({ homeId: 'home-a', reply: odd, now: NOW, staleAfterMs: STALE, previous: before }).map((m) => m.device);
    expect(kept.map((d) => d.id)).toEqual(online.map((d) => d.id));
    const now = kept.find((d) => d.id === dryer.id)!;
    expect(now.model).toBe('Towel dryer');
    expect(thermostat(now)).toMatchObject({ fault: true, currentTemperature: thermostat(dryer).currentTemperature });
    expect(kept.filter((d) => d.id !== dryer.id).every((d) => !thermostat(d).fault)).toBe(true);
    // Never shown before: an unknown category is not a thermostat.
    const fresh = mapHome({ homeId: 'home-a', reply: odd, now: NOW, staleAfterMs: STALE }).map((m) => m.device);
    expect(fresh.map((d) => d.id)).toEqual(online.filter((d) => d.id !== dryer.id).map((d) => d.id));
  });

  it('reads pv with a decimal comma or point, and sp as the target', () => {
    expect(thermostat(online[0])).toMatchObject({ currentTemperature: 19.2, targetTemperature: 19.5, mode: 'heat', active: 'heat' });
    expect(thermostat(online[1])).toMatchObject({ currentTemperature: 20.4, targetTemperature: 20 });
    expect(thermostat(online[4]).currentTemperature).toBe(17.6);
  });

  it('maps Stop to off and Antifreeze/Manual/Prog to heat, offering only the current mode', () => {
    expect(thermostat(online[3])).toMatchObject({ mode: 'off', active: 'off', modes: ['off'] });
    expect(thermostat(online[2])).toMatchObject({ mode: 'heat', modes: ['heat'] });
  });

  it('uses ids that are stable per home and device, with serial and firmware', () => {
    expect(online[0]).toMatchObject({
      id: 'home-a:F00A1',
      serial: 'F00A1',
      firmware: '312',
      manufacturer: 'HomeSmartlink',
      available: true,
    });
    expect(thermostat(online[0]).fault).toBe(false);
  });

  it('keeps the last values of an offline device (no mode/sp/pv) and marks it unavailable', () => {
    const previous = new Map(online.map((d) => [d.id, d]));
    const offline = mapHome({
      homeId: 'home-a',
      reply: configReplySchema.parse(fixture('config-offline.json')),
      now: NOW,
      staleAfterMs: STALE,
      previous: (id) => previous.get(id),
    }).map((m) => m.device);
    const salon = offline.find((d) => d.id === 'home-a:F00A1')!;
    expect(salon.available).toBe(false);
    expect(thermostat(salon)).toMatchObject({ currentTemperature: 19.2, targetTemperature: 19.5, mode: 'heat' });
    // An unreadable pv is dropped, never shown as 0.
    const chambre = offline.find((d) => d.id === 'home-a:F00E1')!;
    expect(thermostat(chambre).currentTemperature).toBeUndefined();
  });

  it('never reads lastPing (a connect event) as a heartbeat: an old ping with fresh reports is no fault', () => {
    const reply = configReplySchema.parse(fixture('config-online.json'));
    reply.gateway = { ...reply.gateway, lastPing: '2026-11-20T09:00:00.000Z' };
    const mapped = mapHome({ homeId: 'home-a', reply, now: NOW, staleAfterMs: STALE }).map((m) => m.device);
    expect(mapped.filter((d) => thermostat(d).fault)).toEqual([]);
  });

  it('flags a report older than the limit, and every heater of a home whose gateway the invitations say is not connected', () => {
    const stale = mapHome({
      homeId: 'home-a',
      reply: configReplySchema.parse(fixture('config-online.json')),
      now: Date.parse('2026-11-23T11:56:00Z'),
      staleAfterMs: STALE,
    }).map((m) => m.device);
    // lastUpdate 08:55 is 3 h old at 11:56
    expect(stale.every((d) => thermostat(d).fault)).toBe(true);
    const fresh = mapHome({
      homeId: 'home-a',
      reply: configReplySchema.parse(fixture('config-online.json')),
      now: Date.parse('2026-11-23T10:50:00Z'),
      staleAfterMs: STALE,
    }).map((m) => m.device);
    expect(fresh.some((d) => thermostat(d).fault)).toBe(false);
    const disconnected = mapHome({
      homeId: 'home-a',
      reply: configReplySchema.parse(fixture('config-online.json')),
      now: NOW,
      staleAfterMs: STALE,
      gatewayConnected: false,
    }).map((m) => m.device);
    expect(disconnected.every((d) => thermostat(d).fault)).toBe(true);
  });

  it('a heater whose pv was never readable has no temperature and a fault, not 0 °C', () => {
    const chambre = mapHome({
      homeId: 'home-a',
      reply: configReplySchema.parse(fixture('config-offline.json')),
      now: NOW,
      staleAfterMs: STALE,
    })
      .map((m) => m.device)
      .find((d) => d.id === 'home-a:F00E1')!;
    expect(thermostat(chambre)).toMatchObject({ currentTemperature: undefined, fault: true });
  });

  it("shows our derogation while the report predates it, then the heater's own setpoint", () => {
    const ours = { delta: 2, target: 21, sentAt: NOW, until: NOW + 7_200_000 };
    expect(shownTarget(19, NOW - 60_000, ours)).toBe(21);
    expect(shownTarget(19, undefined, ours)).toBe(21);
    expect(shownTarget(21, NOW + 60_000, ours)).toBe(21);
    expect(shownTarget(20, NOW + 60_000, ours)).toBe(20);
    expect(shownTarget(19, NOW, undefined)).toBe(19);
    const mapped = mapHome({
      homeId: 'home-a',
      reply: configReplySchema.parse(fixture('config-online.json')),
      now: NOW,
      staleAfterMs: STALE,
      derogation: (roomId) => (roomId === 1 ? ours : undefined),
    });
    expect(mapped.map((m) => thermostat(m.device).targetTemperature).slice(0, 3)).toEqual([21, 21, 7]);
    expect(mapped[0].reading).toEqual({ sp: 19.5, lastUpdate: Date.parse('2026-11-23T08:55:00.000Z') });
  });

  it('reads lastUpdate as an ISO date or epoch seconds/ms; 0 is "never"', () => {
    expect(instantOf('2026-11-23T08:55:00.000Z')).toBe(Date.parse('2026-11-23T08:55:00.000Z'));
    expect(instantOf(1_700_000_000)).toBe(1_700_000_000_000);
    expect(instantOf(1_700_000_000_000)).toBe(1_700_000_000_000);
    expect(instantOf(0)).toBeUndefined();
    expect(instantOf('soon')).toBeUndefined();
  });

  it('flags devices whose last derogation was not delivered', () => {
    const mapped = mapHome({
      homeId: 'home-a',
      reply: configReplySchema.parse(fixture('config-online.json')),
      now: NOW,
      staleAfterMs: STALE,
      undelivered: new Set(['home-a:F00B1']),
    });
    expect(mapped.filter((m) => thermostat(m.device).fault).map((m) => m.device.id)).toEqual(['home-a:F00B1']);
    expect(mapped[2].room).toEqual({ homeId: 'home-a', roomId: 2, header: 'F00B1' });
  });

  it('accepts both "reponse" and "response" and rejects a reply with neither', () => {
    expect(configReplySchema.parse(fixture('config-offline.json')).reply).toHaveLength(2);
    expect(configReplySchema.parse(fixture('config-online.json')).reply).toHaveLength(8);
    expect(configReplySchema.safeParse({ authorisation: {}, gateway: null }).success).toBe(false);
    expect(derogationsReplySchema.parse(fixture('derogations-reply.json')).startTrigger).toBe('trg-1');
    const report = reportReplySchema.parse(fixture('report-partial.json')).reply;
    expect(report.summary).toMatchObject({ requested: 2, sent: 2, received: 1 });
  });

  it('builds the demand-response switches', () => {
    const d = demandResponseDevice('Campus', { boost: true, eco: false });
    expect(d.capabilities.map((c) => [c.id, c.name, c.kind === 'switch' && c.on])).toEqual([
      ['boost', 'Boost all', true],
      ['eco', 'Eco all', false],
    ]);
  });
});
