// The config languages pgdba lints, in one list: the VS Code language id (package.json's
// contributes.languages, checked by test/unit/core/lint/lintLanguages.test.ts), the kind of file the core
// lints it as, the name the server reads it by (what a neighbour is looked up as) and the file
// name patterns. Registration, diagnostics, code actions, hover, completion and the CLI's
// --type all read it from here.
import { basename } from 'node:path';

export type ConfFileType = 'conf' | 'hba' | 'pgbouncer';

export interface LintLanguage {
  /** VS Code language id. */
  id: string;
  type: ConfFileType;
  /** The file's usual name, under which a neighbour of this kind is looked for. */
  fileName: string;
  /** Globs on the base name ("*" any characters), as in package.json's filenamePatterns. */
  filenamePatterns: readonly string[];
}

export const LINT_LANGUAGES: readonly LintLanguage[] = [
  { id: 'postgresql-conf', type: 'conf', fileName: 'postgresql.conf', filenamePatterns: ['postgresql*.conf', 'postgresql.auto.conf'] },
  { id: 'pg-hba-conf', type: 'hba', fileName: 'pg_hba.conf', filenamePatterns: ['pg_hba*.conf'] },
  { id: 'pgbouncer-ini', type: 'pgbouncer', fileName: 'pgbouncer.ini', filenamePatterns: ['pgbouncer*.ini'] },
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

const PATTERNS = LINT_LANGUAGES.flatMap((l) => l.filenamePatterns.map((p) => ({ type: l.type, re: globRegExp(p) })));

/** postgresql*.conf, pg_hba*.conf, pgbouncer*.ini, by the file's base name (any case). */
export function fileTypeOf(path: string): ConfFileType | undefined {
  const name = basename(path);
  return PATTERNS.find((p) => p.re.test(name))?.type;
}

function globRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
}
