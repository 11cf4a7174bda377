// The config languages pgdba lints, in one list: the VS Code language id (package.json's
// contributes.languages, checked by test/unit/core/lint/lintLanguages.test.ts), the kind of file the core
// lints it as, the name the server reads it by (what a neighbour is looked up as) and the file
// name patterns. Registration, diagnostics, code actions, hover, completion and the CLI's
// --type all read it from here. A file the patterns miss is classified by its content
// (confClassifier.ts), in the CLI and, for an opened .conf/.ini, in the editor.
import { basename } from 'node:path';

export type ConfFileType = 'conf' | 'hba' | 'pgbouncer';

export interface LintLanguage {
  /** VS Code language id. */
  id: string;
  type: ConfFileType;
  /** The file's usual name, under which a neighbour of this kind is looked for. */
  fileName: string;
  /**
   * Globs as in package.json's filenamePatterns: on the base name ("*" any characters), or, with a
   * "/", on the path ("**\/" any folders, "*" any characters but "/").
   */
  filenamePatterns: readonly string[];
}

export const LINT_LANGUAGES: readonly LintLanguage[] = [
  {
    id: 'postgresql-conf',
    type: 'conf',
    fileName: 'postgresql.conf',
    filenamePatterns: ['postgresql*.conf', 'postgresql.auto.conf', '*.postgresql.conf', '**/conf.d/*.conf'],
  },
  { id: 'pg-hba-conf', type: 'hba', fileName: 'pg_hba.conf', filenamePatterns: ['pg_hba*.conf', '*.pg_hba.conf'] },
  { id: 'pgbouncer-ini', type: 'pgbouncer', fileName: 'pgbouncer.ini', filenamePatterns: ['pgbouncer*.ini', '*.pgbouncer.ini'] },
];

export const CONF_FILE_TYPES: readonly ConfFileType[] = LINT_LANGUAGES.map((l) => l.type);

export function languageOfType(type: ConfFileType): LintLanguage {
  const lang = LINT_LANGUAGES.find((l) => l.type === type);
  if (!lang) throw new Error(`no lint language for ${type}`);
  return lang;
}

/** The kind of a document by its VS Code language id; undefined for any other language. */
export function typeOfLanguage(languageId: string): ConfFileType | undefined {
  return LINT_LANGUAGES.find((l) => l.id === languageId)?.type;
}

// Base-name patterns first: pg_hba-old.conf inside conf.d/ is still an hba file.
const PATTERNS = LINT_LANGUAGES.flatMap((l) => l.filenamePatterns.map((p) => ({ type: l.type, onPath: p.includes('/'), re: globRegExp(p) }))).sort(
  (a, b) => Number(a.onPath) - Number(b.onPath),
);

/** postgresql*.conf, prod.postgresql.conf, conf.d/*.conf, pg_hba*.conf, pgbouncer*.ini …, by the file's name (any case). */
export function fileTypeOf(path: string): ConfFileType | undefined {
  const name = basename(path);
  const slashed = path.replace(/\\/g, '/');
  return PATTERNS.find((p) => p.re.test(p.onPath ? slashed : name))?.type;
}

function globRegExp(glob: string): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!glob.includes('/')) return new RegExp(`^${glob.split('*').map(esc).join('.*')}$`, 'i');
  const body = glob
    .split('**/')
    .map((part) => part.split('*').map(esc).join('[^/]*'))
    .join('(?:[^/]*/)*');
  return new RegExp(`(?:^|/)${body}$`, 'i');
}
