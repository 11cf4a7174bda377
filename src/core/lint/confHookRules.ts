// String parameters whose check hooks look things up: the value is valid or not according to what
// the server ships (tzdata zones, timezone_abbreviations sets, built-in text search configurations,
// table access methods, tablespaces, encoding names) or what its machine has (locales). Verdicts follow the real
// server of each major (test/integration/lintTruth.test.ts):
//   PGC026 error    every server of this major refuses it
//   PGC027 warning  not a built-in name: refused unless the person created it (in every database)
//   PGC028 info     depends on the server machine (locales) or its databases (an encoding with no
//                   conversion from UTF8): pgdba cannot know, check there
// List-valued settings and names checked without the server's names: confListHooks.ts.
import { serverNames, type ServerNameKind } from '../catalog/serverNames';
import { editDistance } from '../catalog/catalog';
import { timeZoneAccepted } from '../conf/timeZone';
import { listHookVerdict } from './confListHooks';
import { splitIdentifierList } from '../conf/identifierList';

export type HookCode = 'PGC026' | 'PGC027' | 'PGC028';
export interface HookVerdict {
  code: HookCode;
  message: string;
}

const LOCALES = new Set(['lc_messages', 'lc_monetary', 'lc_numeric', 'lc_time']);
/** setlocale() knows these on every machine; anything else is the machine's. */
const PORTABLE_LOCALES = new Set(['C', 'POSIX']);

/** The verdict on a string value of `name` (lower-cased) for `major`; undefined when it is fine or unchecked. */
export function hookVerdict(name: string, value: string, major: number): HookVerdict | undefined {
  switch (name) {
    case 'timezone':
    case 'log_timezone':
      return timeZone(name, value, major);
    case 'timezone_abbreviations':
      return builtIn(name, value, major, 'abbreviationSets', 'a file of share/timezonesets', 'you added share/timezonesets/' + value);
    case 'default_text_search_config':
      return textSearchConfig(value, major);
    case 'default_table_access_method':
      if (value === '') return { code: 'PGC026', message: 'default_table_access_method cannot be empty; the server refuses this line: write heap' };
      return builtIn(name, value, major, 'tableAccessMethods', 'a table access method', 'an extension creates it (CREATE ACCESS METHOD) in every database');
    case 'default_tablespace':
      return value === '' ? undefined : builtIn(name, value, major, 'tablespaces', 'a tablespace', 'you created it (CREATE TABLESPACE)');
    case 'client_encoding':
      return clientEncoding(value, major);
    default:
      return LOCALES.has(name) ? locale(name, value, major) : listHookVerdict(name, value, major);
  }
}

function timeZone(name: 'timezone' | 'log_timezone', value: string, major: number): HookVerdict | undefined {
  const zones = serverNames('zones', major);
  if (timeZoneAccepted(value, zones, name)) return undefined;
  const near = nearest(value, zones);
  const param = name === 'timezone' ? 'TimeZone' : 'log_timezone';
  return {
    code: 'PGC026',
    message:
      `${param} = "${value}" is neither a time zone of PostgreSQL ${major}'s tzdata nor a POSIX zone such as 'UTC+3' or '<+03>-3'; the server refuses this line` +
      (near ? `: did you mean ${near}?` : ': use a name of pg_timezone_names, e.g. Europe/Paris or UTC'),
  };
}

/** A name of the server's list, compared exactly (these hooks compare as strcmp does). */
function builtIn(name: string, value: string, major: number, kind: ServerNameKind, what: string, unless: string): HookVerdict | undefined {
  const names = serverNames(kind, major);
  if ([...names.values()].includes(value)) return undefined;
  const listed = [...names.values()].join(', ');
  const sameCase = names.get(value.toLowerCase());
  if (value === '' || kind === 'abbreviationSets') {
    // timezone_abbreviations names a file; only letters (ParseTzFile), so '' and 'x.txt' never load
    if (value === '' || !/^[A-Za-z]+$/.test(value)) {
      return { code: 'PGC026', message: `${name} = "${value}" is not ${what} the server can load; it refuses this line: use one of ${listed}` };
    }
  }
  return {
    code: 'PGC027',
    message: `${name} = "${value}" is not ${what} PostgreSQL ${major} ships (${listed})${sameCase ? ` — names are case-sensitive: did you mean ${sameCase}?` : ''}; the server refuses it unless ${unless}`,
  };
}

/** stringToQualifiedNameList: the list syntax with '.' between names; no name may be empty. */
export function qualifiedName(value: string): string[] | undefined {
  const parts = splitIdentifierList(value, '.');
  return parts && parts.length > 0 && !parts.includes('') ? parts : undefined;
}

function textSearchConfig(value: string, major: number): HookVerdict | undefined {
  const parts = qualifiedName(value);
  const names = serverNames('textSearchConfigs', major);
  const listed = [...names.values()].join(', ');
  if (!parts) {
    return {
      code: 'PGC026',
      message: `default_text_search_config = "${value}" is not a configuration name; the server refuses this line: use one of ${listed}`,
    };
  }
  const [a, b] = parts;
  const cfg = parts.length === 1 ? a : parts.length === 2 && a === 'pg_catalog' ? b : undefined;
  if (cfg !== undefined && names.has(cfg) && names.get(cfg) === cfg) return undefined;
  return {
    code: 'PGC027',
    message: `default_text_search_config = "${value}" is not a built-in text search configuration of PostgreSQL ${major} (pg_catalog: ${listed}); the server refuses it unless every database has it (CREATE TEXT SEARCH CONFIGURATION)`,
  };
}

/**
 * pg_valid_client_encoding: the name is looked up with every character but ASCII letters and digits
 * dropped, case ignored ('UTF-8', 'utf_8', 'Unicode' are UTF8), and refused from 64 bytes on. A
 * name the hook knows still needs a conversion to the database's encoding.
 */
function clientEncoding(value: string, major: number): HookVerdict | undefined {
  // Other bytes are dropped or kept as the server's LC_CTYPE says (isalnum): pgdba cannot tell.
  if (/[^\x00-\x7f]/.test(value)) return undefined;
  const key = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const names = serverNames('encodings', major);
  if (value.length < 64 && names.has(key)) {
    if (!serverNames('encodingsWithoutUtf8', major).has(key)) return undefined;
    return {
      code: 'PGC028',
      message: `client_encoding = "${value}" has no conversion from UTF8: a UTF8 database refuses it (and a session that does not choose its own encoding fails), only databases of an encoding it converts to take it; write UTF8 unless every database is such`,
    };
  }
  const near = nearest(key, names);
  return {
    code: 'PGC026',
    message: `client_encoding = "${value}" is not an encoding PostgreSQL ${major} knows; the server refuses this line: ${near ? `did you mean ${near.toUpperCase()}? ` : ''}write UTF8, or another name of SELECT pg_encoding_to_char(i) FROM generate_series(0, 41) i`,
  };
}

function locale(name: string, value: string, major: number): HookVerdict | undefined {
  if (PORTABLE_LOCALES.has(value)) return undefined;
  if (value === '') {
    // '' means "from the server's environment". For lc_messages, 16+ refuse it at start-up in any
    // environment; 13–15 builds differ (the embedded ones of the test rig refuse it too).
    if (name === 'lc_messages') {
      return major >= 16
        ? { code: 'PGC026', message: `lc_messages = '' is refused from PostgreSQL 16: name a locale (C, or one of \`locale -a\` on the server)` }
        : {
            code: 'PGC028',
            message: `lc_messages = '' is refused by some builds of PostgreSQL ${major} (and by every 16+): name a locale (C, or one of \`locale -a\` on the server)`,
          };
    }
    return undefined;
  }
  return {
    code: 'PGC028',
    message: `${name} = "${value}" must be a locale installed on the server machine (pgdba cannot see it): check \`locale -a\` there; names are case-sensitive, and only C and POSIX exist everywhere`,
  };
}

/** The zone nearest to a misspelt one (edit distance up to 2, case ignored). */
function nearest(value: string, zones: ReadonlyMap<string, string>): string | undefined {
  const v = value.toLowerCase();
  if (v.length < 3 || v.length > 64) return undefined;
  let best: string | undefined;
  let bestD = 3;
  for (const [low, name] of zones) {
    const d = editDistance(v, low, bestD - 1);
    if (d < bestD) {
      bestD = d;
      best = name;
    }
  }
  return best;
}
