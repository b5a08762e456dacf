import { scopedLogger } from '../../../src/core/log';
import { Redactor } from '../../../src/core/redact';

describe('Redactor', () => {
  it('masks a secret verbatim, URL-encoded and base64-encoded', () => {
    const r = new Redactor(['s3cr$t&x']);
    expect(r.redact('a s3cr$t&x b')).toBe('a *** b');
    expect(r.redact(`u=${encodeURIComponent('s3cr$t&x')}`)).toBe('u=***');
    expect(r.redact(Buffer.from('s3cr$t&x').toString('base64'))).toBe('***');
  });

  it('masks Basic credentials and well-known secret parameters and headers even when unknown', () => {
    const r = new Redactor();
    r.addBasic('client', 'topsecret');
    expect(r.redact(`Authorization: Basic ${Buffer.from('client:topsecret').toString('base64')}`)).not.toContain('topsecret');
    expect(r.redact('GET /x?login=bob&password=hunter2&fonction=pointage')).toBe('GET /x?login=bob&password=***&fonction=pointage');
    expect(r.redact('cookie: JSESSIONID=abc123')).toBe('cookie: ***');
    expect(r.redact('x-api-key: key-123')).toBe('x-api-key: ***');
  });
});

describe('log lines from vendor strings', () => {
  it('a name holding a newline, an escape or a bidi override cannot forge or hide a line', () => {
    const lines: string[] = [];
    const sink = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: () => undefined, debug: () => undefined };
    const log = scopedLogger(sink, '[Vendor] Site:', new Redactor(['s3cret']));
    log.warn('Hall\n[Building Hub] [Overkiz] House: logged in with s3cret\u001b[2K\u202eevil');
    expect(lines).toEqual(['[Vendor] Site: Hall [Building Hub] [Overkiz] House: logged in with *** [2K evil']);
  });
});
