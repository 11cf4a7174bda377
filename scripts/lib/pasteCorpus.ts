// The paste corpus (test/fixtures/pastes/): one query explained by real servers 13–18 and written
// as people paste it — psql's aligned table and its expanded output (\x) in each line style
// (ascii, unicode single and double, old-ascii) and border, format wrapped, the
// JSON plan in psql's table and in --csv, the command echoed before it, auto_explain's messages
// read from the server's own log file (text and JSON) — plus pg<major>/plan.json, the same plan
// as node-postgres returns it (the reference a paste must read to). derived/ holds the hand-made
// variations, each a documented transform of a real pg13 file (derived/README.md).
// Used by scripts/genPastes.ts (`npm run fixtures:pastes`) and test/integration/planPastes.test.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPgServer } from './pgServer';

export const PSQL = '/usr/bin/psql';

const SCHEMA = `
CREATE TABLE rooms (id int PRIMARY KEY, hotel int NOT NULL, beds int NOT NULL);
INSERT INTO rooms SELECT g, g % 20, 1 + g % 4 FROM generate_series(1, 2000) g;
CREATE TABLE bookings (id int PRIMARY KEY, room_id int NOT NULL REFERENCES rooms, nights int NOT NULL, guest text NOT NULL);
INSERT INTO bookings SELECT g, 1 + g % 2000, 1 + g % 7, 'guest, "' || g || '"' FROM generate_series(1, 20000) g;
ANALYZE rooms; ANALYZE bookings;`;

/**
 * A CTE, a correlated SubPlan, a join, aggregates and a sort; a filter with a comma and quotes (so
 * --csv quotes its line) and CJK characters (two columns each in psql's padding, one UTF-16 unit).
 */
export const PASTE_QUERY = `WITH busy AS MATERIALIZED (SELECT room_id, sum(nights) AS n FROM bookings GROUP BY room_id)
SELECT r.hotel, count(*) AS rooms, max(b.n) AS nights,
       (SELECT count(*) FROM bookings x WHERE x.room_id = r.hotel + 1 AND x.guest <> '客人, "0"') AS first_room
FROM rooms r JOIN busy b ON b.room_id = r.id
WHERE r.beds > 1
GROUP BY r.hotel
ORDER BY nights DESC, r.hotel`;

const SETTINGS = 'SET max_parallel_workers_per_gather = 0;\nSET jit = off;\n';
const EXPLAIN = `EXPLAIN (ANALYZE, BUFFERS, VERBOSE) ${PASTE_QUERY};\n`;
const EXPLAIN_JSON = `EXPLAIN (ANALYZE, BUFFERS, VERBOSE, FORMAT JSON) ${PASTE_QUERY};\n`;

/** file name → the \pset lines before the EXPLAIN. */
const TABLES: Record<string, { pset: string; json?: boolean }> = {
  'psql-ascii-border0.txt': { pset: '\\pset border 0' },
  'psql-ascii-border1.txt': { pset: '\\pset border 1' },
  'psql-ascii-border2.txt': { pset: '\\pset border 2' },
  'psql-unicode-border0.txt': { pset: '\\pset linestyle unicode\n\\pset border 0' },
  'psql-unicode-border1.txt': { pset: '\\pset linestyle unicode\n\\pset border 1' },
  'psql-unicode-border2.txt': { pset: '\\pset linestyle unicode\n\\pset border 2' },
  'psql-unicode-double-border2.txt': {
    pset: '\\pset linestyle unicode\n\\pset border 2\n\\pset unicode_border_linestyle double\n\\pset unicode_header_linestyle double',
  },
  'psql-wrapped-ascii-border0.txt': { pset: '\\pset format wrapped\n\\pset columns 72\n\\pset border 0' },
  'psql-wrapped-ascii-border1.txt': { pset: '\\pset format wrapped\n\\pset columns 72' },
  'psql-wrapped-unicode-border2.txt': { pset: '\\pset format wrapped\n\\pset columns 72\n\\pset linestyle unicode\n\\pset border 2' },
  'psql-json-ascii-border1.txt': { pset: '\\pset border 1', json: true },
  'psql-json-unicode-border2.txt': { pset: '\\pset linestyle unicode\n\\pset border 2', json: true },
  'psql-json-ascii-border0.txt': { pset: '\\pset border 0', json: true },
  'psql-old-ascii-border0.txt': { pset: '\\pset linestyle old-ascii\n\\pset border 0' },
  'psql-old-ascii-border1.txt': { pset: '\\pset linestyle old-ascii' },
  'psql-old-ascii-border2.txt': { pset: '\\pset linestyle old-ascii\n\\pset border 2' },
  'psql-json-old-ascii-border1.txt': { pset: '\\pset linestyle old-ascii', json: true },
  'psql-json-old-ascii-border2.txt': { pset: '\\pset linestyle old-ascii\n\\pset border 2', json: true },
  // \x: a record per plan line (text) or one record (JSON)
  'psql-expanded-ascii-border0.txt': { pset: '\\x\n\\pset border 0' },
  'psql-expanded-ascii-border1.txt': { pset: '\\x' },
  'psql-expanded-ascii-border2.txt': { pset: '\\x\n\\pset border 2' },
  'psql-expanded-unicode-border1.txt': { pset: '\\x\n\\pset linestyle unicode' },
  'psql-expanded-unicode-border2.txt': { pset: '\\x\n\\pset linestyle unicode\n\\pset border 2' },
  'psql-expanded-unicode-double-border2.txt': {
    pset: '\\x\n\\pset linestyle unicode\n\\pset border 2\n\\pset unicode_border_linestyle double\n\\pset unicode_header_linestyle double',
  },
  'psql-expanded-old-ascii-border1.txt': { pset: '\\x\n\\pset linestyle old-ascii' },
  'psql-expanded-old-ascii-border2.txt': { pset: '\\x\n\\pset linestyle old-ascii\n\\pset border 2' },
  'psql-expanded-wrapped-ascii-border1.txt': { pset: '\\x\n\\pset format wrapped\n\\pset columns 72' },
  'psql-expanded-json-ascii-border0.txt': { pset: '\\x\n\\pset border 0', json: true },
  'psql-expanded-json-ascii-border1.txt': { pset: '\\x', json: true },
  'psql-expanded-json-unicode-border2.txt': { pset: '\\x\n\\pset linestyle unicode\n\\pset border 2', json: true },
  'psql-expanded-json-old-ascii-border1.txt': { pset: '\\x\n\\pset linestyle old-ascii', json: true },
  'psql-expanded-json-old-ascii-border2.txt': { pset: '\\x\n\\pset linestyle old-ascii\n\\pset border 2', json: true },
};

async function waitFor(file: string, what: RegExp, from: number): Promise<string> {
  // The logging collector writes behind the backend: a deadline, not a sleep.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8').slice(from) : '';
    if (what.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file}: no ${String(what)} within 15 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function writeMajor(outDir: string, major: number): Promise<string[]> {
  const server = await startPgServer({
    major,
    fast: true,
    database: 'hotel',
    settings: { logging_collector: 'on', log_directory: 'log', log_filename: 'server.log', log_line_prefix: '%m [%p] %q%u@%d ' },
  });
  const dir = join(outDir, `pg${major}`);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    written.push(name);
  };
  const psql = (args: string[], script: string) => execFileSync(PSQL, ['-X', '-q', ...args, '-d', server.url], { input: script, encoding: 'utf8' });
  const client = new pg.Client(server.url);
  try {
    await client.connect();
    await client.query(SCHEMA);
    await client.query(SETTINGS);
    const j = await client.query<{ 'QUERY PLAN': unknown }>(EXPLAIN_JSON);
    write('plan.json', JSON.stringify(j.rows[0]!['QUERY PLAN'], null, 2) + '\n');
    for (const [name, t] of Object.entries(TABLES)) write(name, psql([], `${SETTINGS}${t.pset}\n${t.json ? EXPLAIN_JSON : EXPLAIN}`));
    write('psql-echo.txt', psql(['-e'], `${SETTINGS}${EXPLAIN}`));
    write('psql-json-unaligned-echo.txt', psql(['-e', '-A', '-t'], `${SETTINGS}${EXPLAIN_JSON}`));
    write('psql-csv.csv', psql(['--csv'], `${SETTINGS}${EXPLAIN}`));
    write('psql-csv-json.csv', psql(['--csv'], `${SETTINGS}${EXPLAIN_JSON}`));
    // auto_explain, from the server's log file: the query's plan, then a second one (the first is read).
    const log = join(server.dataDir, 'log', 'server.log');
    const autoExplain = (format: string) =>
      psql(
        [],
        `${SETTINGS}LOAD 'auto_explain';\nSET auto_explain.log_min_duration = 0;\nSET auto_explain.log_analyze = on;\nSET auto_explain.log_buffers = on;\n` +
          `SET auto_explain.log_verbose = on;\nSET auto_explain.log_format = ${format};\n${PASTE_QUERY};\nSELECT count(*) FROM rooms WHERE id < 10;\n`,
      );
    autoExplain('text');
    // One message is written whole: two "plan:" lines mean both plans are in the file.
    const text = await waitFor(log, /duration: .* plan:[^]*duration: .* plan:/, 0);
    write('auto_explain-text.log', text);
    autoExplain('json');
    const json = await waitFor(log, /duration: .* plan:[^]*duration: .* plan:/, text.length);
    write('auto_explain-json.log', json);
  } finally {
    await client.end().catch(() => undefined);
    await server.stop();
  }
  return written;
}

/** derived/: hand-made variations of real pg13 files (derived/README.md says how each is made). */
export const DERIVED: { name: string; from: string; how: string; make: (s: string) => string }[] = [
  {
    name: 'pre94-total-runtime.txt',
    from: 'psql-ascii-border1.txt',
    how: 'before 9.4: "Execution Time" was "Total runtime", and there was no "Planning Time" line',
    make: (s) => s.replace(/^ Planning Time: .*\n/m, '').replace('Execution Time:', 'Total runtime:'),
  },
  {
    name: 'pre94-total-runtime.json',
    from: 'plan.json',
    how: 'before 9.4 (FORMAT JSON): "Total Runtime" for "Execution Time", no "Planning Time"',
    make: (s) => s.replace(/^ *"Planning Time": .*\n/m, '').replace('"Execution Time"', '"Total Runtime"'),
  },
  {
    name: 'pre13-lower-case.txt',
    from: 'psql-ascii-border1.txt',
    how: '9.4–12: "Planning time" and "Execution time", lower case',
    make: (s) => s.replace('Planning Time:', 'Planning time:').replace('Execution Time:', 'Execution time:'),
  },
  {
    name: 'pgadmin-quoted.txt',
    from: 'psql-csv.csv',
    how: "pgAdmin's copy of the result with its header: every value in double quotes, quotes doubled",
    make: (s) =>
      csvValues(s)
        .map((v) => `"${v.replace(/"/g, '""')}"`)
        .join('\n') + '\n',
  },
  {
    name: 'pgadmin-json.txt',
    from: 'plan.json',
    how: "pgAdmin's copy of a JSON plan: the one value in double quotes, quotes doubled, no header",
    make: (s) => `"${s.trimEnd().replace(/"/g, '""')}"\n`,
  },
  {
    name: 'json-with-text.txt',
    from: 'plan.json',
    how: 'a JSON plan pasted into a message, with a sentence before and after it',
    make: (s) => `Here is the plan of the slow report, from production:\n\n${s}\nAny idea why the sort is so slow?\n`,
  },
  {
    name: 'psql-prompt-unicode.txt',
    from: 'psql-unicode-border2.txt',
    how: 'an interactive psql session: the prompt and the command (its continuation lines behind hotel-#) before the table, the next prompt after it (psql prints no prompt when it is not on a terminal, so it is added)',
    make: (s) =>
      `hotel=# EXPLAIN (ANALYZE, BUFFERS, VERBOSE)\n${PASTE_QUERY.split('\n')
        .map((l) => `hotel-# ${l}`)
        .join('\n')};\n${s}\nhotel=# \n`,
  },
];

/** The values of a one-column CSV (psql --csv). */
function csvValues(csv: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < csv.length) {
    if (csv[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = csv.indexOf('"', i);
        if (csv[q + 1] === '"') {
          v += csv.slice(i, q + 1);
          i = q + 2;
        } else {
          v += csv.slice(i, q);
          i = q + 2; // past the quote and the newline
          break;
        }
      }
      out.push(v);
    } else {
      const nl = csv.indexOf('\n', i);
      out.push(csv.slice(i, nl < 0 ? csv.length : nl));
      i = nl < 0 ? csv.length : nl + 1;
    }
  }
  return out;
}

export function writeDerived(outDir: string): string[] {
  const dir = join(outDir, 'derived');
  mkdirSync(dir, { recursive: true });
  const lines = [
    '# Hand-made variations (generated: `npm run fixtures:pastes`)',
    '',
    'Each file is a real PostgreSQL 13 file of ../pg13 put through one transform, for spellings and tools no server here prints.',
    '',
  ];
  for (const d of DERIVED) {
    writeFileSync(join(dir, d.name), d.make(readFileSync(join(outDir, 'pg13', d.from), 'utf8')));
    lines.push(`- \`${d.name}\` from \`pg13/${d.from}\`: ${d.how}.`);
  }
  writeFileSync(join(dir, 'README.md'), lines.join('\n') + '\n');
  return DERIVED.map((d) => d.name);
}
