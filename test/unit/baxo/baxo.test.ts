import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refusesAccount, repairRealtimeJson, writeVerdict } from '../../../src/integrations/baxo/client';
import { AuthError, RejectedError } from '../../../src/core/errors';
import { baxoDevice, tagCapability, type TagConfig, TAG_KINDS, writeValueOf } from '../../../src/integrations/baxo/devices';
import { realtimeSchema } from '../../../src/integrations/baxo/schemas';
import { fromBaxoTime, isStale, parseTagValue, toBaxoTime } from '../../../src/integrations/baxo/values';

const reading = (value: unknown, stale = false) => ({ value, at: 0, isEvent: false, stale });
const tag = (as: TagConfig['as'], extra: Partial<TagConfig> = {}): TagConfig => ({ deviceId: 'd', tagReference: 'T', as, ...extra });

describe('BAXO tag write replies (the doc: a plain HTTP 200 on success)', () => {
  it.each(['', 'OK', '{}', '{"result":"OK"}', '{"error":null}', '[]'])('%j is a success', (body) => {
    expect(() => writeVerdict(body)).not.toThrow();
  });

  it('a JSON error field is a refusal with its text; a refused session is an authentication error', () => {
    expect(() => writeVerdict('{"error":"tag is read-only"}')).toThrow(RejectedError);
    expect(() => writeVerdict('{"error":"tag is read-only"}')).toThrow(/tag is read-only/);
    expect(() => writeVerdict('{"error":"mot de passe requis"}')).toThrow(AuthError);
  });

  it('only explicit wording about credentials is an authentication error, not "session" or "identifiant" alone', () => {
    for (const why of ['Wrong password', 'Unauthorized', 'identifiants incorrects', 'Authentication failed', 'mot de passe invalide'])
      expect(refusesAccount(why)).toBe(true);
    for (const why of ['unknown deviceIdentifiant 42', 'session of the device expired', 'tag token invalid', 'contractId'])
      expect(refusesAccount(why)).toBe(false);
    expect(() => writeVerdict('{"error":"unknown deviceIdentifiant 42"}')).toThrow(RejectedError);
  });
});

describe('BAXO values and mapping', () => {
  it('converts 2000-based timestamps both ways, with no DST involved', () => {
    expect(fromBaxoTime(0)).toBe(Date.parse('2000-01-01T00:00:00Z'));
    expect(new Date(fromBaxoTime(578590638)).toISOString()).toBe('2018-05-02T15:37:18.000Z');
    for (const iso of ['2026-03-29T01:30:00Z', '2026-10-25T00:59:59Z', '2026-11-23T09:00:00Z'])
      expect(fromBaxoTime(toBaxoTime(Date.parse(iso)))).toBe(Date.parse(iso));
    expect(toBaxoTime(Date.parse('2000-01-02T00:00:00Z'))).toBe(86_400);
  });

  it('parses values: decimal point or comma, 0/1/true/false, raw text kept', () => {
    expect(parseTagValue('21.5')).toEqual({ raw: '21.5', number: 21.5 });
    expect(parseTagValue('21,5')).toEqual({ raw: '21,5', number: 21.5 });
    expect(parseTagValue('-3')).toMatchObject({ number: -3 });
    expect(parseTagValue('1')).toEqual({ raw: '1', number: 1, bool: true });
    expect(parseTagValue('0')).toEqual({ raw: '0', number: 0, bool: false });
    expect(parseTagValue('TRUE')).toEqual({ raw: 'TRUE', bool: true });
    expect(parseTagValue('false')).toEqual({ raw: 'false', bool: false });
    expect(parseTagValue('ALARME HP')).toEqual({ raw: 'ALARME HP' });
    expect(parseTagValue(undefined)).toEqual({ raw: '' });
  });

  it('reads the doc\'s multi-device reply: "deviceIdentifiant" and its malformed row', () => {
    const text = readFileSync(join(__dirname, '../../fixtures/baxo/realtimes-doc-sample.txt'), 'utf8');
    expect(() => JSON.parse(text)).toThrow();
    const logs = realtimeSchema.parse(JSON.parse(repairRealtimeJson(text))).logs;
    expect(logs.map((l) => [l.device, l.tagReference, l.value])).toEqual([
      ['device1', 'TAG_1', '24'],
      ['device2', 'TAG_2', '2587'],
    ]);
    expect(
      realtimeSchema.parse({ logs: [{ deviceIdentifier: 5, tagReference: 'A', value: '1', timestamp: '3', isEvent: true }] }).logs[0],
    ).toEqual({ device: '5', tagReference: 'A', value: '1', timestamp: 3, isEvent: true });
  });

  it('a value beyond a double ("1e999") is no reading, a reading dated in the future is stale, a bad log is left out alone', () => {
    expect(parseTagValue('1e999')).toEqual({ raw: '1e999' });
    expect(parseTagValue('-1e999').number).toBeUndefined();
    const now = Date.parse('2026-12-02T09:00:00Z');
    expect(isStale(now + 5 * 60_000, now, 60_000)).toBe(false);
    expect(isStale(now + 3 * 60 * 60_000, now, 60_000)).toBe(true);
    expect(isStale(Number.NaN, now, 60_000)).toBe(true);
    const reply = realtimeSchema.parse({
      logs: [
        { deviceIdentifier: 'd1', tagReference: 'T1', value: '20', timestamp: 1 },
        { deviceIdentifier: 'd1', value: '20', timestamp: 'not a time' },
      ],
    });
    expect(reply.logs.map((l) => l.tagReference)).toEqual(['T1']);
  });

  it('maps every "as" to its capability', () => {
    const sensors = ['temperature', 'humidity', 'co2', 'airQuality', 'light', 'contact', 'leak', 'motion', 'occupancy', 'smoke'] as const;
    for (const as of sensors) expect(tagCapability(tag(as), reading('1'))).toMatchObject({ kind: 'sensor', sensor: as });
    expect(tagCapability(tag('temperature'), reading('21,5'))).toMatchObject({ value: 21.5 });
    expect(tagCapability(tag('leak'), reading('1'))).toMatchObject({ value: true });
    expect(tagCapability(tag('contact', { invert: true }), reading('1'))).toMatchObject({ value: false });
    expect(tagCapability(tag('smoke', { threshold: 50 }), reading('72'))).toMatchObject({ value: true });
    expect(tagCapability(tag('smoke', { threshold: 50 }), reading('12'))).toMatchObject({ value: false });
    expect(tagCapability(tag('temperature', { scale: 0.1, offset: -2 }), reading('235'))).toMatchObject({ value: 21.5 });
    expect(tagCapability(tag('battery'), reading('15'))).toMatchObject({ kind: 'battery', level: 15, low: true });
    expect(tagCapability(tag('switch'), reading('1'))).toMatchObject({ kind: 'switch', on: true });
    expect(tagCapability(tag('outlet'), reading('0'))).toMatchObject({ kind: 'outlet', on: false });
    expect(tagCapability(tag('temperature', { name: 'Flow' }), undefined)).toMatchObject({ name: 'Flow', value: undefined, fault: false });
    expect(TAG_KINDS).toHaveLength(14);
    expect(writeValueOf(tag('switch'), true)).toBe('1');
    expect(writeValueOf(tag('switch', { invert: true }), true)).toBe('0');
  });

  it('flags stale readings and shows inactive or suspended devices as No Response', () => {
    const now = Date.parse('2026-11-23T09:00:00Z');
    expect(isStale(now - 179_000, now, 60_000)).toBe(false);
    expect(isStale(now - 181_000, now, 60_000)).toBe(true);
    expect(isStale(now - 181_000, now, 60_000, 600_000)).toBe(false);
    expect(tagCapability(tag('temperature'), reading('20', true)).fault).toBe(true);
    const readings = new Map([['T', reading('20')]]);
    expect(baxoDevice('d', 'Boiler', 0, [tag('temperature')], readings).available).toBe(true);
    expect(baxoDevice('d', 'Boiler', 1, [tag('temperature')], readings).available).toBe(false);
    expect(baxoDevice('d', 'Boiler', 2, [tag('temperature')], readings).available).toBe(false);
  });
});
