// A real server's log with each condition the log reports read: slow statements with parameters,
// errors of several SQLSTATEs, a deadlock, a lock wait, a temp file, checkpoints, autovacuum,
// failed logins, too many clients, connections. The server writes stderr, csvlog and (15+) jsonlog
// at once, into a cluster kept in the caller's folder: read after a clean stop, every line is flushed.
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startPgServer } from '../../scripts/lib/pgServer';

export const SEED_PREFIX = '%m [%p] %q%u@%d ';

/** The seed's logging (logging_collector, log_directory 'log', its log_filename and prefix), messages in English: a server whose log the health report reads as the seed's. */
export const SEED_LOGGING = {
  logging_collector: 'on',
  log_destination: 'stderr',
  log_directory: 'log',
  log_filename: 'postgresql-%Y-%m-%d_%H%M%S.log',
  log_line_prefix: SEED_PREFIX,
  lc_messages: 'C',
} as const;

export interface WorkloadLog {
  major: number;
  /** The log files by format (jsonlog only on 15+). */
  stderr: string;
  csvlog: string;
  jsonlog?: string;
  /** How many of each condition the workload made. */
  made: { slowWithParams: number; deadlocks: number; failedPasswords: number; missingDatabase: number; tooManyClients: number };
}

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, query_timeout: 30_000 });
  await c.connect();
  return c;
}

async function expectError(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch {
    return;
  }
  throw new Error('the workload expected an error here');
}

async function waitFor(what: string, fn: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`workload: no ${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs the workload on a fresh server of `major` with `prefix`, its cluster in `outDir` (whose parents the server's user must be able to enter). */
export async function makeWorkloadLog(major: number, outDir: string, prefix = SEED_PREFIX): Promise<WorkloadLog> {
  const destinations = major >= 15 ? 'stderr,csvlog,jsonlog' : 'stderr,csvlog';
  // The cluster lives in outDir so its log outlives stop(); the server's user must reach it.
  mkdirSync(outDir, { recursive: true });
  chmodSync(outDir, 0o755);
  const server = await startPgServer({
    major,
    fast: true,
    dataDir: join(outDir, `cluster${major}`),
    database: 'hotel',
    settings: {
      logging_collector: 'on',
      log_destination: destinations,
      log_directory: 'log',
      log_filename: 'server.log',
      log_line_prefix: prefix,
      log_min_duration_statement: 50,
      log_connections: 'on',
      log_disconnections: 'on',
      log_lock_waits: 'on',
      deadlock_timeout: '200ms',
      log_temp_files: 0,
      log_checkpoints: 'on',
      log_autovacuum_min_duration: 0,
      autovacuum_naptime: 1,
      max_connections: 20,
      lc_messages: 'C',
    },
  });
  const made = { slowWithParams: 0, deadlocks: 0, failedPasswords: 0, missingDatabase: 0, tooManyClients: 0 };
  try {
    const a = await connect(server.url);
    const b = await connect(server.url);
    try {
      // Slow statements, simple and extended protocol (the latter logs DETAIL: parameters).
      for (let i = 0; i < 3; i++) await a.query('SELECT pg_sleep(0.06)');
      for (let i = 0; i < 4; i++) {
        await a.query('SELECT pg_sleep($1::float8), $2::text AS guest', [0.06 + i * 0.05, `guest ${i}`]);
        made.slowWithParams++;
      }
      // Errors of several SQLSTATEs.
      await expectError(a.query('SELECT 1/0'));
      await expectError(a.query('SELECT * FROM no_such_table'));
      await expectError(a.query('SELEC 1'));
      await a.query('CREATE TABLE rooms (id int PRIMARY KEY, note text)');
      await a.query('INSERT INTO rooms SELECT g, NULL FROM generate_series(1, 2000) g');
      await expectError(a.query('INSERT INTO rooms VALUES (1)'));
      // A lock wait: b waits past deadlock_timeout for a's row lock.
      await a.query('BEGIN');
      await a.query('UPDATE rooms SET note = $1 WHERE id = 1', ['a']);
      await b.query('BEGIN');
      const waiting = b.query('UPDATE rooms SET note = $1 WHERE id = 1', ['b']);
      await new Promise((r) => setTimeout(r, 500));
      await a.query('COMMIT');
      await waiting;
      await b.query('COMMIT');
      // A deadlock: each holds one row and asks for the other's.
      await a.query('BEGIN');
      await b.query('BEGIN');
      await a.query('UPDATE rooms SET note = $1 WHERE id = 10', ['a']);
      await b.query('UPDATE rooms SET note = $1 WHERE id = 20', ['b']);
      const first = a.query('UPDATE rooms SET note = $1 WHERE id = 20', ['a']).then(
        () => 'ok',
        () => 'failed',
      );
      await new Promise((r) => setTimeout(r, 100));
      const second = await b.query('UPDATE rooms SET note = $1 WHERE id = 10', ['b']).then(
        () => 'ok',
        () => 'failed',
      );
      const firstOutcome = await first;
      await a.query(firstOutcome === 'ok' ? 'COMMIT' : 'ROLLBACK');
      await b.query(second === 'ok' ? 'COMMIT' : 'ROLLBACK');
      made.deadlocks++;
      // A temp file: a sort past a tiny work_mem.
      await a.query("SET work_mem = '64kB'");
      await a.query('SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC LIMIT 1');
      await a.query('RESET work_mem');
      // Checkpoints (requested).
      await a.query('CHECKPOINT');
      await a.query('CHECKPOINT');
      // Autovacuum and autoanalyze of rooms: a vacuum that ran after the DELETE (one that ran
      // after the INSERT counts too, but removed nothing).
      const stat = async () =>
        (await a.query<{ v: string; dead: string }>("SELECT autovacuum_count AS v, n_dead_tup AS dead FROM pg_stat_user_tables WHERE relname = 'rooms'"))
          .rows[0];
      const before = Number((await stat())?.v ?? 0);
      await a.query('DELETE FROM rooms WHERE id > 100');
      await waitFor('autovacuum of rooms after the DELETE', async () => {
        const r = await stat();
        return Number(r?.v ?? 0) > before && Number(r?.dead ?? 1) === 0;
      });
    } finally {
      await a.end().catch(() => undefined);
      await b.end().catch(() => undefined);
    }
    // Failed logins: a wrong password, a database that does not exist.
    const bad = new URL(server.url);
    bad.password = 'wrong';
    for (let i = 0; i < 2; i++) {
      await expectError(connect(bad.toString()));
      made.failedPasswords++;
    }
    await expectError(connect(server.urlFor('no_such_db')));
    made.missingDatabase++;
    // Too many clients: fill max_connections, then one more.
    const held: pg.Client[] = [];
    try {
      for (;;) {
        try {
          held.push(await connect(server.url));
        } catch (e) {
          if (!/too many clients/.test((e as Error).message)) throw e;
          made.tooManyClients++;
          break;
        }
        if (held.length > 40) throw new Error('workload: max_connections was never reached');
      }
    } finally {
      await Promise.all(held.map((c) => c.end().catch(() => undefined)));
    }
  } finally {
    await server.stop().catch(() => undefined);
  }
  return found(join(server.dataDir, 'log'), major, made);
}

function found(logDir: string, major: number, made: WorkloadLog['made']): WorkloadLog {
  const names = readdirSync(logDir);
  return {
    major,
    stderr: join(logDir, 'server.log'),
    csvlog: join(logDir, 'server.csv'),
    ...(names.includes('server.json') ? { jsonlog: join(logDir, 'server.json') } : {}),
    made,
  };
}
