// Generates src/core/catalog/pg<major>.json from real servers: `npx tsx scripts/genCatalogs.ts`.
// Nothing about a parameter is typed by hand; every fact comes from the server of that major:
//   1. pg_settings of each major 13–18;
//   2. enum spellings the server accepts but pg_settings hides (wal_level = hot_standby,
//      huge_pages = true, ...), found by offering every enum parameter a list of candidate words
//      (boolean spellings, every enum value of every major, every parameter name and the words in
//      it) through pg_file_settings, so the server alone decides;
//   3. old parameter names a major still accepts as aliases (names of other majors that
//      current_setting() resolves);
//   4. src/core/catalog/serverNames.json (`npx tsx scripts/genCatalogs.ts names` writes only it): the
//      names check hooks look up in what the server ships — the zone files of its tzdata and the
//      timezone_abbreviations sets each server accepts (every file under share/timezone and
//      share/timezonesets offered to the server), the built-in text search configurations, table
//      access methods and tablespaces; the encoding names client_encoding takes (every string of
//      the server's binary that pg_char_to_encoding() knows: its alias table, aliases included),
//      and those a UTF8 database refuses (no conversion).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { SUPPORTED_MAJORS, startPgServer, type PgServer } from './lib/pgServer';
import { openFileSettingsProbe } from './lib/fileSettingsProbe';
import { rowFromParam, type CatalogParam, type VarType } from '../src/core/catalog/catalogTypes';
import { encodeNameSets, type ServerNameKind } from '../src/core/catalog/serverNamesTypes';

interface SettingRow {
  name: string;
  vartype: VarType;
  unit: string | null;
  min_val: string | null;
  max_val: string | null;
  enumvals: string[] | null;
  context: string;
  category: string;
  short_desc: string | null;
  boot_val: string | null;
}

const OUT_DIR = resolve(__dirname, '..', 'src', 'core', 'catalog');

async function readSettings(server: PgServer): Promise<SettingRow[]> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    const r = await c.query<SettingRow>(
      `SELECT name, vartype, unit, min_val, max_val, enumvals, context, category, short_desc, boot_val
         FROM pg_settings ORDER BY name`,
    );
    return r.rows;
  } finally {
    await c.end();
  }
}

/** Names of other majors that this server still resolves (renamed parameters keep an alias). */
async function findAliases(server: PgServer, own: Set<string>, others: Set<string>): Promise<string[]> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    const found: string[] = [];
    for (const name of [...others].filter((n) => !own.has(n)).sort()) {
      const r = await c.query<{ v: string | null }>('SELECT current_setting($1, true) AS v', [name]);
      if (r.rows[0]?.v != null) found.push(name);
    }
    return found;
  } finally {
    await c.end();
  }
}

async function findHiddenEnumValues(server: PgServer, rows: SettingRow[], candidates: string[]): Promise<Map<string, string[]>> {
  const enums = rows.filter((r) => r.vartype === 'enum');
  const probe = await openFileSettingsProbe(server);
  const hidden = new Map<string, string[]>();
  try {
    for (const cand of candidates) {
      const quoted = `'${cand.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
      const text = enums.map((r) => `${r.name} = ${quoted}\n`).join('');
      const result = await probe.check(text);
      for (const row of result) {
        if (row.error !== null || !row.name) continue;
        const param = enums.find((r) => r.name === row.name);
        if (!param) continue;
        if ((param.enumvals ?? []).some((v) => v.toLowerCase() === cand)) continue;
        const list = hidden.get(param.name) ?? [];
        list.push(cand);
        hidden.set(param.name, list);
      }
    }
  } finally {
    await probe.close();
  }
  return hidden;
}

function toParam(r: SettingRow, hidden: string[] | undefined): CatalogParam {
  const p: CatalogParam = { name: r.name, type: r.vartype, context: r.context, category: r.category, desc: r.short_desc ?? '' };
  if (r.unit) p.unit = r.unit;
  if (r.min_val !== null) p.min = r.min_val;
  if (r.max_val !== null) p.max = r.max_val;
  if (r.enumvals) p.enum = r.enumvals;
  if (hidden?.length) p.enumHidden = hidden;
  if (r.boot_val !== null) p.boot = r.boot_val;
  return p;
}

async function withServer<T>(major: number, fn: (s: PgServer) => Promise<T>): Promise<T> {
  const server = await startPgServer({ major, fast: true });
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
}

/** Relative paths of the files under dir (the zone names a server may load). */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** The candidates the server accepts for a parameter, offered one a round (the server checks the last line of a name only). */
async function accepted(server: PgServer, param: string, candidates: string[]): Promise<string[]> {
  const probe = await openFileSettingsProbe(server);
  try {
    const out: string[] = [];
    for (const c of candidates) {
      const rows = await probe.check(`${param} = '${c.replace(/\\/g, '\\\\').replace(/'/g, "''")}'\n`);
      if (rows[0] && rows[0].error === null) out.push(c);
    }
    return out;
  } finally {
    await probe.close();
  }
}

/**
 * Candidate encoding names: every run of lower-case letters and digits that ends a C string of
 * the server's binary, with its tails (the linker may share one string's end with another), as
 * pg_encname_tbl holds them.
 */
function binaryWords(file: string): string[] {
  const bin = readFileSync(file);
  const words = new Set<string>();
  let start = 0;
  for (let i = 0; i < bin.length; i++) {
    const b = bin[i]!;
    if ((b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39)) continue;
    if (b === 0 && i - start >= 2 && i - start < 64) for (let k = start; k <= i - 2; k++) words.add(bin.toString('latin1', k, i));
    start = i + 1;
  }
  return [...words];
}

async function readNames(server: PgServer): Promise<Record<ServerNameKind, string[]>> {
  const share = join(server.binDir, 'share', 'postgresql');
  const zones = await accepted(server, 'TimeZone', filesUnder(join(share, 'timezone')).sort());
  const abbreviationSets = await accepted(server, 'timezone_abbreviations', filesUnder(join(share, 'timezonesets')).sort());
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    const list = async (sql: string) => (await c.query<{ n: string }>(sql)).rows.map((r) => r.n);
    const encodings = (
      await c.query<{ n: string }>('SELECT n FROM unnest($1::text[]) n WHERE pg_char_to_encoding(n) >= 0 ORDER BY 1', [
        binaryWords(join(server.binDir, 'bin', 'postgres')),
      ])
    ).rows.map((r) => r.n);
    // The rig's database is UTF8: what its client_encoding hook refuses has no conversion from UTF8.
    const encoding = await list('SELECT pg_encoding_to_char(encoding) AS n FROM pg_database WHERE datname = current_database()');
    if (encoding[0] !== 'UTF8') throw new Error(`the catalog server's database is ${encoding[0]}, not UTF8`);
    const convertible = new Set(await accepted(server, 'client_encoding', encodings));
    return {
      encodings,
      encodingsWithoutUtf8: encodings.filter((e) => !convertible.has(e)),
      zones,
      abbreviationSets,
      textSearchConfigs: await list("SELECT cfgname AS n FROM pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace ORDER BY 1"),
      tableAccessMethods: await list("SELECT amname AS n FROM pg_am WHERE amtype = 't' ORDER BY 1"),
      tablespaces: await list('SELECT spcname AS n FROM pg_tablespace ORDER BY 1'),
    };
  } finally {
    await c.end();
  }
}

async function writeServerNames(): Promise<void> {
  const perMajor = new Map<number, Record<ServerNameKind, string[]>>();
  for (const major of SUPPORTED_MAJORS) perMajor.set(major, await withServer(major, readNames));
  const text = JSON.stringify(encodeNameSets(perMajor)) + '\n';
  writeFileSync(join(OUT_DIR, 'serverNames.json'), text);
  const counts = [...perMajor].map(
    ([m, n]) =>
      `pg${m}: ${n.zones.length} zones, ${n.abbreviationSets.length} abbreviation sets, ${n.textSearchConfigs.length} text search configs, ${n.encodings.length} encoding names (${n.encodingsWithoutUtf8.join(', ')} not from UTF8)`,
  );
  console.log(`serverNames.json: ${text.length} bytes; ${counts.join('; ')}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  if (process.argv[2] === 'names') return writeServerNames();
  const settings = new Map<number, SettingRow[]>();
  for (const major of SUPPORTED_MAJORS) {
    settings.set(major, await withServer(major, readSettings));
    console.log(`pg${major}: ${settings.get(major)?.length} parameters`);
  }
  const allNames = new Set<string>();
  const words = new Set<string>(['on', 'off', 'true', 'false', 'yes', 'no', '1', '0']);
  for (const rows of settings.values()) {
    for (const r of rows) {
      allNames.add(r.name);
      words.add(r.name.toLowerCase());
      for (const w of r.name.toLowerCase().split('_')) if (w) words.add(w);
      for (const v of r.enumvals ?? []) words.add(v.toLowerCase());
    }
  }
  const candidates = [...words].sort();
  for (const major of SUPPORTED_MAJORS) {
    const rows = settings.get(major) ?? [];
    const own = new Set(rows.map((r) => r.name));
    const { aliases, hidden } = await withServer(major, async (s) => ({
      aliases: await findAliases(s, own, allNames),
      hidden: await findHiddenEnumValues(s, rows, candidates),
    }));
    const categories: string[] = [];
    const params = rows.map((r) => rowFromParam(toParam(r, hidden.get(r.name)), categories));
    // One parameter per line, positional: small in the bundle, yet a regenerated catalog diffs line by line.
    const text = `{"major":${major},"aliases":${JSON.stringify(aliases)},\n"categories":${JSON.stringify(categories)},\n"params":[\n${params.map((p) => JSON.stringify(p)).join(',\n')}\n]}\n`;
    writeFileSync(join(OUT_DIR, `pg${major}.json`), text);
    const nHidden = [...hidden.values()].reduce((a, l) => a + l.length, 0);
    console.log(`pg${major}.json: ${rows.length} parameters, ${nHidden} hidden enum spellings, aliases [${aliases.join(', ')}], ${text.length} bytes`);
  }
  await writeServerNames();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
