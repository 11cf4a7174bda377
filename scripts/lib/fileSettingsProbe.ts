// Asks a running PostgreSQL what it thinks of configuration lines, the way it reads its own
// files: the lines go into a file included by the cluster's postgresql.conf and we read
// pg_file_settings, which re-parses every file and validates every setting without applying it.
//
// One trap: a postmaster-context setting whose (valid) value differs from the running one is also
// reported as an error ("setting could not be applied") because it would need a restart. We tell
// the two apart by the DEBUG3 messages pg_file_settings emits while it checks (notices to us).
import { appendFileSync, chownSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { PgServer } from './pgServer';

export interface ProbeRow {
  /** 1-based line in the probe file. */
  line: number;
  /** null for a syntax-error row. */
  name: string | null;
  /** pg_file_settings.error, except the "needs a restart" case, which is not an error of value. */
  error: string | null;
}

export interface FileSettingsProbe {
  /** Absolute path of the probe file inside the data directory. */
  path: string;
  check(text: string): Promise<ProbeRow[]>;
  close(): Promise<void>;
}

const PROBE_FILE = 'pgdba_probe.conf';
const RESTART = /^parameter "([^"]+)" cannot be changed without restarting the server/;

export async function openFileSettingsProbe(server: PgServer): Promise<FileSettingsProbe> {
  const confPath = join(server.dataDir, 'postgresql.conf');
  const path = join(server.dataDir, PROBE_FILE);
  const owner = statSync(server.dataDir);
  if (!readFileSync(confPath, 'utf8').includes(PROBE_FILE)) {
    appendFileSync(confPath, `\ninclude_if_exists = '${PROBE_FILE}'\n`);
  }
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const notices: string[] = [];
  client.on('notice', (n) => notices.push(n.message ?? ''));
  await client.query('SET client_min_messages = debug3');

  return {
    path,
    async check(text: string): Promise<ProbeRow[]> {
      writeFileSync(path, text);
      chownSync(path, owner.uid, owner.gid); // the server's OS user must read it
      notices.length = 0;
      const r = await client.query<{ sourceline: number; name: string | null; error: string | null }>(
        'SELECT sourceline, name, error FROM pg_file_settings WHERE sourcefile = $1 ORDER BY seqno',
        [path],
      );
      const restart = new Set<string>();
      for (const m of notices) {
        const hit = RESTART.exec(m);
        if (hit?.[1]) restart.add(hit[1].toLowerCase());
      }
      return r.rows.map((row) => ({
        line: row.sourceline,
        name: row.name,
        error: row.error && row.name && restart.has(row.name.toLowerCase()) ? null : row.error,
      }));
    },
    async close() {
      writeFileSync(path, '');
      await client.end().catch(() => undefined);
    },
  };
}
