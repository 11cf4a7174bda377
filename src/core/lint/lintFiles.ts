// The port through which lintFileSet reads the files it lints and finds their neighbours. The
// editor's implementation prefers open documents' unsaved texts, then the disk, and finds a
// neighbour open, beside the file or in the workspace; the CLI's reads the files it was given
// and finds none (it lints the files given together).
import type { ConfFileSystem } from '../conf/confIncludes';
import type { ConfFileType } from './lintLanguages';

export interface LintFiles {
  /** The text of a file to lint or of a neighbour; undefined when it cannot be read. */
  read(path: string): string | undefined;
  /** Where include, include_dir, @file and %include are followed and checked; none for a buffer
   *  with no disk behind it (its includes are then neither followed nor reported missing). */
  includes?: ConfFileSystem;
  /** The file of `type` that `path` is checked with (its pg_hba.conf, its postgresql.conf), when
   *  the host finds one; readable through read(). */
  neighbour?(path: string, type: ConfFileType): string | undefined;
}

/** A LintFiles over texts already in hand (the CLI's, a test's); no neighbours. */
export function lintFilesOf(texts: ReadonlyMap<string, string>, includes?: ConfFileSystem): LintFiles {
  return { read: (path) => texts.get(path), ...(includes ? { includes } : {}) };
}
