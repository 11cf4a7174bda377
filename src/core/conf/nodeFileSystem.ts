// The file-system port of the config linters (include, include_dir, @file, %include) over
// node:fs, for the CLI and for local files in VS Code. Unreadable means undefined, never a throw.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { ConfFileSystem } from './confIncludes';

export const nodeFileSystem: ConfFileSystem = {
  readFile(path: string): string | undefined {
    try {
      return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
    } catch {
      return undefined; // missing or unreadable: the linter reports it where it matters
    }
  },
  listDir(path: string): string[] | undefined {
    try {
      return readdirSync(path);
    } catch {
      return undefined; // not a directory, or unreadable
    }
  },
};
