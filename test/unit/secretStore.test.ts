import { parseConfig } from '../../src/config';
import { SecretStore } from '../../src/core/secretStore';
import { CapturedLog } from '../helpers/logs';
import { tempDir } from '../helpers/tempDir';

describe('secret store: the settings page keeps secrets out of config.json, the plugin reads them back', () => {
  const festime = (extra: Record<string, unknown>) => ({ platform: 'BuildingHub', festime: [{ login: 'school', ...extra }] });

  it('an account without its password starts with the stored one', () => {
    const store = new SecretStore(tempDir('secrets'), new CapturedLog());
    const ref = store.set(undefined, { password: 'stored-pass' });
    const parsed = parseConfig(festime({ credentialsRef: ref }), undefined, store);
    expect(parsed.problems).toEqual([]);
    expect(parsed.accounts[0].account).toMatchObject({ login: 'school', password: 'stored-pass', credentialsRef: ref });
  });

  it('a password typed into config.json by hand wins over the stored one', () => {
    const store = new SecretStore(tempDir('secrets'), new CapturedLog());
    const ref = store.set(undefined, { password: 'stored-pass' });
    const parsed = parseConfig(festime({ credentialsRef: ref, password: 'typed-pass' }), undefined, store);
    expect(parsed.accounts[0].account).toMatchObject({ password: 'typed-pass' });
  });

  it('an unknown reference, or no store, leaves the account incomplete with one line naming the field', () => {
    const store = new SecretStore(tempDir('secrets'), new CapturedLog());
    const unknown = parseConfig(festime({ credentialsRef: 'bh-0123456789abcdef' }), undefined, store);
    expect(unknown.accounts).toEqual([]);
    expect(unknown.problems).toEqual([expect.stringMatching(/^festime\[0\] skipped: password/)]);
    expect(parseConfig(festime({ credentialsRef: store.set(undefined, { password: 'p' }) })).problems).toHaveLength(1);
  });

  it('only non-empty values are stored, merged into the entry of the same reference', () => {
    const store = new SecretStore(tempDir('secrets'), new CapturedLog());
    const ref = store.set(undefined, { password: 'a', token: '' });
    expect(store.set(ref, { token: 't' })).toBe(ref);
    expect(store.get(ref)).toEqual({ password: 'a', token: 't' });
    expect(store.set('not-a-ref', { password: 'b' })).not.toBe('not-a-ref');
  });
});
