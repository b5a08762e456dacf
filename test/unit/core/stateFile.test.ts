import { statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { StateFile } from '../../../src/core/stateFile';
import { CapturedLog } from '../../helpers/logs';
import { tempDir } from '../../helpers/tempDir';

const schema = z.object({ n: z.number() });

describe('StateFile', () => {
  it('writes owner-only JSON under building-hub/ and reads it back', () => {
    const log = new CapturedLog();
    const file = new StateFile(tempDir('state'), 'x.json', schema, log);
    expect(file.read()).toBeUndefined();
    file.write({ n: 3 });
    expect(file.read()).toEqual({ n: 3 });
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file.path)).mode & 0o777).toBe(0o700);
    expect(log.lines).toEqual([]);
  });

  it('an invalid file reads as undefined with one warning; an unwritable dir warns, never throws', () => {
    const log = new CapturedLog();
    const file = new StateFile(tempDir('state'), 'x.json', schema, log);
    file.write({ n: 1 });
    writeFileSync(file.path, '{"n":"one"}');
    expect(file.read()).toBeUndefined();
    writeFileSync(file.path, 'not json');
    expect(file.read()).toBeUndefined();
    expect(log.matching(/x\.json is not valid|x\.json could not be read/, 'warn')).toHaveLength(2);
    // storage "dir" that is a file: nothing can be created under it
    const blocker = join(tempDir('state'), 'a-file');
    writeFileSync(blocker, '');
    const nowhere = new StateFile(blocker, 'y.json', schema, log);
    expect(() => nowhere.write({ n: 1 })).not.toThrow();
    expect(log.matching(/y\.json could not be written/, 'warn')).toHaveLength(1);
  });
});
