// The running configuration (SHOW CONFIG) against a pgbouncer.ini: the [pgbouncer] settings whose
// value in the file is not the one PgBouncer runs with — a file edited and not reloaded, a
// setting that needs a restart, or the file of another PgBouncer.
import { parsePgbouncerIni } from '../conf/pgbouncerParser';

export interface ConfigDrift {
  key: string;
  running: string;
  inFile: string;
  /** 1-based line of the setting in the file. */
  line: number;
}

const TRUE = new Set(['1', 'yes', 'on', 'true']);
const FALSE = new Set(['0', 'no', 'off', 'false']);

/** Values compared as PgBouncer shows them: numbers by value, booleans by meaning, text as is (trimmed). */
export function sameSetting(running: string, inFile: string): boolean {
  const a = running.trim();
  const b = inFile.trim();
  if (a === b) return true;
  if (a !== '' && b !== '' && Number.isFinite(Number(a)) && Number.isFinite(Number(b))) return Number(a) === Number(b);
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return (TRUE.has(la) && TRUE.has(lb)) || (FALSE.has(la) && FALSE.has(lb));
}

/** The [pgbouncer] settings of iniText that differ from the running ones; keys PgBouncer does not show are left out. */
export function configDrift(running: ReadonlyMap<string, string>, iniText: string): ConfigDrift[] {
  const out = new Map<string, ConfigDrift>();
  for (const e of parsePgbouncerIni(iniText).entries) {
    if (e.section?.toLowerCase() !== 'pgbouncer') continue;
    const key = e.key.toLowerCase();
    const value = running.get(key);
    if (value === undefined) continue;
    // The last line of a key is the one PgBouncer keeps.
    if (sameSetting(value, e.value)) out.delete(key);
    else out.set(key, { key, running: value, inFile: e.value, line: e.line });
  }
  return [...out.values()];
}
