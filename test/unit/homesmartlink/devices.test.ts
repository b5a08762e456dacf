import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Device, ThermostatCapability } from '../../../src/core/model';
import { demandResponseDevice, mapHome } from '../../../src/integrations/homesmartlink/devices';
import { configReplySchema, derogationsReplySchema, reportReplySchema } from '../../../src/integrations/homesmartlink/schemas';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/homesmartlink', name), 'utf8'));
const NOW = Date.parse('2026-11-23T09:00:00Z');
const thermostat = (d: Device) => d.capabilities[0] as ThermostatCapability;

describe('HomeSmartlink payload -> devices', () => {
  const online = mapHome({ homeId: 'home-a', reply: configReplySchema.parse(fixture('config-online.json')), now: NOW }).map(
    (m) => m.device,
  );

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
      previous: (id) => previous.get(id),
    }).map((m) => m.device);
    const salon = offline.find((d) => d.id === 'home-a:F00A1')!;
    expect(salon.available).toBe(false);
    expect(thermostat(salon)).toMatchObject({ currentTemperature: 19.2, targetTemperature: 19.5, mode: 'heat' });
    // An unreadable pv is dropped, never shown as 0.
    const chambre = offline.find((d) => d.id === 'home-a:F00E1')!;
    expect(thermostat(chambre).currentTemperature).toBeUndefined();
  });

  it('flags every device of a home whose gateway stopped pinging', () => {
    const offline = mapHome({ homeId: 'home-a', reply: configReplySchema.parse(fixture('config-offline.json')), now: NOW }).map(
      (m) => m.device,
    );
    expect(offline.every((d) => thermostat(d).fault === true)).toBe(true);
  });

  it('flags devices whose last derogation was not delivered', () => {
    const mapped = mapHome({
      homeId: 'home-a',
      reply: configReplySchema.parse(fixture('config-online.json')),
      now: NOW,
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
