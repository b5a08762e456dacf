import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/** A fresh folder in the system temp dir, removed after the test file (test/setup.ts), even when a test failed. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `bhub-${prefix}-`));
  made.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}
