import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OverkizDevice, setupSchema } from '../../src/integrations/overkiz/schemas';

/** Our hand-written Overkiz setup (test/fixtures/overkiz/setup.json); the real ones are under real/. */
export const overkizFixture = setupSchema.parse(JSON.parse(readFileSync(join(__dirname, '../fixtures/overkiz/setup.json'), 'utf8')));

/** `n` positionable roller shutters, "Shutter 1".."Shutter n", on one gateway. */
export function shutters(n: number): OverkizDevice[] {
  const template = overkizFixture.devices.find((d) => d.label === 'Living room shutter')!;
  return Array.from({ length: n }, (_, i) => ({
    ...structuredClone(template),
    deviceURL: `io://0000-1111-2222/2000${i}`,
    label: `Shutter ${i + 1}`,
  }));
}
