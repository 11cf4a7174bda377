// The ConfFileSystem port over the local disk (node:fs), for the CLI and the editor when the
// postgresql.conf being linted is a local file. Unreadable means undefined, never a throw: a
// missing include is a finding (PGC003), not a crash.
import { readFileSync, readdirSync } from 'node:fs';
import type { ConfFileSystem } from './confIncludes';

export const nodeConfFileSystem: ConfFileSystem = {
  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined; // missing or unreadable: reported by the include rule
    }
  },
  listDir(path: string): string[] | undefined {
    try {
      return readdirSync(path);
    } catch {
      return undefined; // not a readable directory: reported by the include rule
    }
  },
};
