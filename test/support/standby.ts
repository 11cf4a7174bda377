// A real streaming standby of a test server, made the way a DBA makes one without pg_basebackup
// (the embedded binaries have none, and Debian's 15 refuses newer servers): the low-level backup
// API (pg_backup_start/stop, pg_start/stop_backup before 15) around a copy of the data directory,
// the backup_label it returns, standby.signal, and primary_conninfo with a physical slot.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPgServer, type PgServer } from '../../scripts/lib/pgServer';

export interface Standby {
  server: PgServer;
  /** Stops the standby and removes its folder. */
  stop(): Promise<void>;
}

export async function startStandby(
  primary: PgServer,
  o: { slot: string; applicationName: string; settings?: Record<string, string | number> },
): Promise<Standby> {
  const base = mkdtempSync(join(tmpdir(), 'pgdba-standby-'));
  chmodSync(base, 0o755); // the postgres user runs the standby
  const c = new pg.Client({ connectionString: primary.url, connectionTimeoutMillis: 10_000, query_timeout: 120_000 });
  let server: PgServer | undefined;
  const remove = async () => {
    await server?.stop();
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await c.connect();
    await c.query('SELECT pg_create_physical_replication_slot($1, true)', [o.slot]); // keeps WAL from now on
    const modern = primary.major >= 15;
    await c.query(modern ? "SELECT pg_backup_start('pgdba standby', true)" : "SELECT pg_start_backup('pgdba standby', true, false)");
    const data = join(base, 'data');
    try {
      execFileSync('cp', ['-a', '--', primary.dataDir, data]); // owner and modes kept (0700, postgres)
    } finally {
      const stop = await c.query<{ labelfile: string; spcmapfile: string | null }>(
        modern ? 'SELECT labelfile, spcmapfile FROM pg_backup_stop()' : 'SELECT labelfile, spcmapfile FROM pg_stop_backup(false)',
      );
      const row = stop.rows[0]!;
      writeFileSync(join(data, 'backup_label'), row.labelfile);
      if (row.spcmapfile) writeFileSync(join(data, 'tablespace_map'), row.spcmapfile);
    }
    for (const f of ['postmaster.pid', 'postmaster.opts']) rmSync(join(data, f), { force: true });
    for (const f of readdirSync(join(data, 'pg_wal'))) if (f !== 'archive_status') rmSync(join(data, 'pg_wal', f), { recursive: true, force: true });
    writeFileSync(join(data, 'standby.signal'), '');
    execFileSync('chown', ['-R', '--reference', primary.dataDir, '--', data]); // the files written here too
    const conninfo = `host=127.0.0.1 port=${primary.port} user=${primary.user} password=${primary.password} application_name=${o.applicationName}`;
    server = await startPgServer({
      major: primary.major,
      dataDir: base,
      password: primary.password,
      fast: true,
      settings: { ...o.settings, primary_conninfo: conninfo, primary_slot_name: o.slot, hot_standby: 'on' },
    });
    return { server, stop: remove };
  } catch (e) {
    await remove();
    throw e;
  } finally {
    await c.end().catch(() => undefined);
  }
}
