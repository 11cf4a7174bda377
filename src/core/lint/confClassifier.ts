// What a configuration file is when its name does not say: a postgresql.conf, a pg_hba.conf or a
// pgbouncer.ini, by what its first lines hold. Bounded: the first MAX_LINES lines of at most
// MAX_CHARS characters are read, each once, with no backtracking regular expression.
import { lookup, DEFAULT_PG_MAJOR } from '../catalog/catalog';
import { HBA_CONN_TYPES } from '../conf/hbaParser';
import { PGBOUNCER_SETTINGS, SECTIONS } from './pgbouncerSettings';
import type { ConfFileType } from './lintLanguages';

export const CLASSIFY_MAX_LINES = 200;
/** The VS Code languages an unrecognised .conf (properties) or .ini (ini) file opens in: the editor classifies those. */
export const CONTENT_CLASSIFIED_LANGUAGES = ['properties', 'ini'] as const;
const MAX_CHARS = 64 * 1024;

/** A PgBouncer section header says more than one setting line. */
const SECTION_WEIGHT = 3;
const HBA_TYPES: ReadonlySet<string> = new Set(HBA_CONN_TYPES);
const INI_SECTIONS: ReadonlySet<string> = new Set(SECTIONS);

/**
 * The kind of file the text looks like, or undefined when nothing in its first lines says (only
 * comments, or as much of one kind as of another). Each meaningful line votes: a record of
 * pg_hba.conf (a connection type, then at least three fields), a known postgresql.conf parameter,
 * a PgBouncer section header or setting; a [section] of any other name rules out the two others.
 */
export function classifyConfText(text: string): ConfFileType | undefined {
  const votes: Record<ConfFileType, number> = { conf: 0, hba: 0, pgbouncer: 0 };
  const head = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  let lines = 0;
  let sections = false;
  for (const raw of head.split('\n')) {
    if (++lines > CLASSIFY_MAX_LINES) break;
    const line = stripComment(raw).trim();
    if (line === '') continue;
    if (line.startsWith('[')) {
      sections = true;
      const close = line.indexOf(']');
      if (close > 0 && INI_SECTIONS.has(line.slice(1, close).trim().toLowerCase())) votes.pgbouncer += SECTION_WEIGHT;
      continue;
    }
    const kind = lineKind(line);
    if (kind) votes[kind]++;
  }
  // A [section] line is an ini file's: postgresql.conf and pg_hba.conf have none.
  if (sections) return votes.pgbouncer > 0 ? 'pgbouncer' : undefined;
  const ranked = (Object.entries(votes) as [ConfFileType, number][]).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] === 0 || first[1] === second?.[1]) return undefined;
  return first[0];
}

function stripComment(line: string): string {
  // '#' starts a comment in all three (and ';' in pgbouncer.ini); inside quotes it does not, but
  // for voting a cut value costs nothing.
  const hash = line.indexOf('#');
  const cut = hash < 0 ? line : line.slice(0, hash);
  return cut.trimStart().startsWith(';') ? '' : cut;
}

function lineKind(line: string): ConfFileType | undefined {
  const words = line.split(/[ \t]+/);
  const first = (words[0] ?? '').toLowerCase();
  if (HBA_TYPES.has(first)) return words.length >= 4 && !words[1]?.startsWith('=') ? 'hba' : undefined;
  const eq = line.indexOf('=');
  const name = (eq < 0 ? first : line.slice(0, eq).trim().toLowerCase()).replace(/\s.*$/, '');
  if (name === 'include' || name === 'include_if_exists' || name === 'include_dir') return undefined; // all three have them
  if (lookup(name, DEFAULT_PG_MAJOR)) return 'conf';
  if (eq > 0 && Object.hasOwn(PGBOUNCER_SETTINGS, name)) return 'pgbouncer';
  return undefined;
}
