// The folder the e2e workbench opens: a throw-away copy of a DBA's working files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILES: Record<string, string> = {
  'postgresql.conf': [
    '# e2e sample: a few settings of a 4-core, 4 GB server',
    "listen_addresses = '*'",
    'max_connections = 100',
    'shared_buffers = 128MB',
    'work_mem = 4MB',
    'effective_cache_size = 4GB',
    '',
  ].join('\n'),
  'pg_hba.conf': [
    '# TYPE  DATABASE  USER  ADDRESS       METHOD',
    'local   all       all                 peer',
    'host    all       all   127.0.0.1/32  scram-sha-256',
    '',
  ].join('\n'),
  'queries.sql': "SELECT current_setting('server_version_num');\n",
};

export function makeWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-e2e-workspace-'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The connection profile (pgdba.connections entry) for a test server's URL; no password in it. */
export function profileFromUrl(name: string, serverUrl: string): { name: string; host: string; port: number; database: string; user: string } {
  const url = new URL(serverUrl);
  return {
    name,
    host: url.hostname,
    port: Number(url.port || 5432),
    database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    user: decodeURIComponent(url.username) || 'postgres',
  };
}
