// A temp folder a test owns, removed when its owner ends, passed or failed: a test run leaves the
// temp dir as it found it (scripts/runTests.ts fails a rig that does not).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** What can own the folder: a test's context (`t`) or a suite's; without one, the test file. */
export interface TempDirOwner {
  after(fn: () => void): void;
}

/** A fresh `<tmpdir>/pgdba-<name>-XXXXXX`, removed after `owner` ends (without one, after the file's tests). */
export function tempDir(name: string, owner?: TempDirOwner): string {
  const dir = mkdtempSync(join(tmpdir(), `pgdba-${name}-`));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (owner) owner.after(remove);
  else after(remove);
  return dir;
}
