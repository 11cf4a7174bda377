// The first thing every feature needs to know about a server: its version; and a database's size.
import type pg from 'pg';

export interface ServerVersion {
  /** e.g. 160014 */
  num: number;
  major: number;
  /** e.g. "16.14" */
  text: string;
}

export function parseServerVersionNum(num: number | string): ServerVersion {
  const n = Number(num);
  if (!Number.isInteger(n) || n < 90000) throw new Error(`not a server_version_num: ${String(num)}`);
  const major = n >= 100000 ? Math.floor(n / 10000) : Math.floor(n / 100) / 100;
  const minor = n >= 100000 ? n % 10000 : n % 100;
  return { num: n, major, text: `${major}.${minor}` };
}

export async function readServerVersion(client: Pick<pg.Pool, 'query'>): Promise<ServerVersion> {
  const r = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  const row = r.rows[0];
  if (!row) throw new Error('SHOW server_version_num returned no row');
  return parseServerVersionNum(row.server_version_num);
}

/** pg_database_size of a database (bytes); undefined when there is none of that name. */
export async function readDatabaseSize(client: Pick<pg.Pool, 'query'>, database: string): Promise<number | undefined> {
  const r = await client.query<{ bytes: number | null }>('SELECT pg_database_size(oid)::float8 AS bytes FROM pg_catalog.pg_database WHERE datname = $1', [
    database,
  ]);
  const bytes = r.rows[0]?.bytes;
  return bytes === null || bytes === undefined ? undefined : Number(bytes);
}
