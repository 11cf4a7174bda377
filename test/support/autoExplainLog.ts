// A real server's log with auto_explain plans in both formats (text and JSON) beside a slow
// statement with parameters, an error and connections: the panel's plans are read from it, and
// test/fixtures/logs/ keeps one such log (scripts/genLogFixtures.ts) for the unit tests.
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPgServer } from '../../scripts/lib/pgServer';
import { SEED_PREFIX } from './logWorkload';

/** A server that logs as the seed's does, with auto_explain's plans of statements over 40 ms. */
export const AUTO_EXPLAIN_LOG_SETTINGS = {
  logging_collector: 'on',
  log_destination: 'stderr',
  log_directory: 'log',
  log_filename: 'server.log',
  log_line_prefix: SEED_PREFIX,
  log_min_duration_statement: 50,
  log_connections: 'on',
  log_disconnections: 'on',
  lc_messages: 'C',
  session_preload_libraries: 'auto_explain',
  'auto_explain.log_min_duration': 40,
  'auto_explain.log_analyze': 'on',
};

export interface AutoExplainLog {
  major: number;
  /** The stderr log's text, read after a clean stop. */
  text: string;
  path: string;
  /** Plans logged: one per format. */
  made: { text: number; json: number };
}

export async function makeAutoExplainLog(major: number, outDir: string): Promise<AutoExplainLog> {
  mkdirSync(outDir, { recursive: true });
  chmodSync(outDir, 0o755);
  const dataDir = join(outDir, `autoexplain${major}`);
  const server = await startPgServer({
    major,
    fast: true,
    dataDir,
    database: 'hotel',
    settings: AUTO_EXPLAIN_LOG_SETTINGS,
  });
  try {
    const c = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 10_000, query_timeout: 30_000 });
    await c.connect();
    try {
      await autoExplainWorkload(c);
    } finally {
      await c.end();
    }
  } finally {
    await server.stop();
  }
  const path = join(server.dataDir, 'log', 'server.log');
  return { major, text: readFileSync(path, 'utf8'), path, made: { text: 1, json: 1 } };
}

/** A plan in each format (text, then JSON), each beside its statement with parameters, and an error. */
export async function autoExplainWorkload(c: pg.Client): Promise<void> {
  await c.query('CREATE TABLE rooms (id int PRIMARY KEY, floor int, note text)');
  await c.query('INSERT INTO rooms SELECT g, g % 7, NULL FROM generate_series(1, 5000) g');
  await c.query("SET auto_explain.log_format = 'text'");
  await c.query('SELECT count(*), pg_sleep(0.06) FROM rooms WHERE floor = $1', [3]);
  await c.query("SET auto_explain.log_format = 'json'");
  await c.query('SELECT r.id, pg_sleep(0.06) FROM rooms r WHERE r.id = $1 AND r.note IS NULL', [42]);
  await c.query('SELECT 1/0').catch(() => undefined);
}
