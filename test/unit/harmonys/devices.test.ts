import { readFileSync } from 'node:fs';
import { droppedFrom } from '../../../src/core/lenient';
import { join } from 'node:path';
import {
  alertsBySite,
  buttonDevice,
  disconnectedBySite,
  expiryWarning,
  parseFrenchDate,
  siteDevice,
  summarisePress,
} from '../../../src/integrations/harmonys/devices';
import { disconnectedSchema, inAlertSchema, pressReplySchema } from '../../../src/integrations/harmonys/schemas';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../fixtures/harmonys', name), 'utf8'));

describe('Harmonys payload mapping', () => {
  it('reads alerts per site, counting UNKNOWN MELODY alerts whichever shape they take', () => {
    const alerts = alertsBySite(inAlertSchema.parse(fixture('in-alert.json')));
    expect([...alerts]).toEqual([
      ['a19ea42d-f22a-4e81-8c85-d73e82c71aae', { button: 'Alerte intrusion', buttonUuid: 'bb644bf8-1edf-4017-b180-e676b9a8af27' }],
      ['126f06c4-efa1-45ba-a325-89cc40c41a6d', { button: 'UNKNOWN MELODY', buttonUuid: undefined }],
      ['ff3389f1-9cf0-4f21-8e2d-dfba73bcd64c', { button: 'UNKNOWN MELODY', buttonUuid: undefined }],
    ]);
    expect(alertsBySite(inAlertSchema.parse([])).size).toBe(0);
  });

  it('reads the doc\'s "unknown configuration" reply ("null" strings), strings for numbers, and leaves out only bad entries', () => {
    const parsed = inAlertSchema.parse(fixture('in-alert-null-strings.json'));
    expect(droppedFrom(parsed)).toBe(1);
    expect(droppedFrom(parsed[1].sites)).toBe(1);
    expect([...alertsBySite(parsed)]).toEqual([
      ['126f06c4-efa1-45ba-a325-89cc40c41a6d', { button: 'UNKNOWN MELODY', buttonUuid: undefined }],
      ['a19ea42d-f22a-4e81-8c85-d73e82c71aae', { button: 'Alerte intrusion', buttonUuid: 'bb644bf8-1edf-4017-b180-e676b9a8af27' }],
    ]);
    // and the site sensors show it
    const alerts = alertsBySite(parsed);
    const sensor = (uuid: string) => siteDevice({ uuid, name: 'x' }, alerts.get(uuid), undefined).capabilities[0];
    expect(sensor('126f06c4-efa1-45ba-a325-89cc40c41a6d')).toMatchObject({ value: true });
    expect(sensor('a19ea42d-f22a-4e81-8c85-d73e82c71aae')).toMatchObject({ value: true });
  });

  it('reads disconnected products', () => {
    const links = disconnectedBySite(disconnectedSchema.parse(fixture('disconnected.json')));
    expect(links.get('a19ea42d-f22a-4e81-8c85-d73e82c71aae')).toEqual({ repeater: true, sigma: false });
  });

  it('makes a site an "in alert" contact sensor, faulted while disconnected', () => {
    const site = { uuid: 's1', name: 'École Sud' };
    expect(siteDevice(site, undefined, undefined).capabilities[0]).toMatchObject({
      kind: 'sensor',
      sensor: 'contact',
      name: 'École Sud alert',
      value: false,
      fault: false,
    });
    expect(siteDevice(site, { button: 'Intrusion' }, { repeater: true, sigma: false }).capabilities[0]).toMatchObject({
      value: true,
      fault: true,
    });
  });

  it('makes a listed button a momentary switch at rest, named by the config first', () => {
    const d = buttonDevice({ buttonUuid: 'b1', name: 'PPMS intrusion' }, { uuid: 'b1', name: 'Alerte intrusion', isPPMS: true }, false);
    expect(d).toMatchObject({ id: 'button:b1', name: 'PPMS intrusion', model: 'PPMS alert button' });
    expect(d.capabilities[0]).toMatchObject({ kind: 'switch', on: false, momentary: true, fault: false });
    expect(buttonDevice({ buttonUuid: 'b2' }, { uuid: 'b2', name: 'Evacuation' }, true).name).toBe('Evacuation');
  });

  it('sorts a press reply into acknowledged, partial or none', () => {
    const reply = (successAck: string[], notAck: string[], sitesNotFound: string[] = []) =>
      pressReplySchema.parse({ sitesAcknowledgement: { successAck, notAck }, sitesNotFound });
    expect(summarisePress(reply(['a', 'b'], [])).outcome).toBe('acknowledged');
    expect(summarisePress(reply(['a'], ['b'])).outcome).toBe('partial');
    expect(summarisePress(reply(['a'], [], ['x'])).outcome).toBe('partial');
    expect(summarisePress(reply([], ['b'], ['x'])).outcome).toBe('none');
    expect(summarisePress(pressReplySchema.parse({ sitesAcknowledgement: {} })).outcome).toBe('none');
  });

  it('warns about licences and certificates 30 days before DD/MM/YYYY and when expired', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseFrenchDate('31/12/2027')).toBe(Date.UTC(2027, 11, 31, 23, 59, 59));
    expect(parseFrenchDate('2027-12-31')).toBeUndefined();
    // impossible dates are unknown, never rolled over (00/00/0000 was read as 1899-11-30)
    for (const bad of ['00/00/0000', '31/02/2027', '32/01/2027', '15/13/2027']) expect(parseFrenchDate(bad)).toBeUndefined();
    expect(expiryWarning('operating licence', { expired: false, expirationDate: '31/12/2027' }, now)).toBeUndefined();
    expect(expiryWarning('operating licence', { expired: false, expirationDate: '20/12/2026' }, now)).toBe(
      'the operating licence expires on 20/12/2026 (in 28 days); renew it',
    );
    expect(expiryWarning('HTTPS certificate', { expired: true, expirationDate: '01/11/2026' }, now)).toMatch(
      /has expired \(01\/11\/2026\)/,
    );
    expect(expiryWarning('HTTPS certificate', { expired: false, expirationDate: '01/11/2026' }, now)).toMatch(/has expired/);
    expect(expiryWarning('HTTPS certificate', { expired: false, expirationDate: 'soon' }, now)).toBeUndefined();
  });
});
