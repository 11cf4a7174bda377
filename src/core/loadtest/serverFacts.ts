// What the server was set to at the run (the settings a tuning change touches), and how many
// more connections it accepts: pgbench's clients must fit, or the run dies at its start.
import type pg from 'pg';
import type { SettingsSnapshot } from './types';

/** The settings of the seed's tuning sections that bear on a pgbench run. */
export const SNAPSHOT_SETTINGS = [
  'shared_buffers',
  'effective_cache_size',
  'work_mem',
  'maintenance_work_mem',
  'max_connections',
  'wal_buffers',
  'min_wal_size',
  'max_wal_size',
  'checkpoint_timeout',
  'checkpoint_completion_target',
  'synchronous_commit',
  'fsync',
  'full_page_writes',
  'wal_compression',
  'wal_level',
  'commit_delay',
  'random_page_cost',
  'effective_io_concurrency',
  'default_statistics_target',
  'huge_pages',
  'jit',
  'max_worker_processes',
  'max_parallel_workers',
  'max_parallel_workers_per_gather',
] as const;

type Queryable = Pick<pg.Client, 'query'> | Pick<pg.Pool, 'query'>;

export async function readSettingsSnapshot(db: Queryable): Promise<SettingsSnapshot> {
  const v = await db.query<{ num: string; text: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text");
  const r = await db.query<{ name: string; value: string }>(
    'SELECT name, current_setting(name) AS value FROM pg_catalog.pg_settings WHERE name = ANY($1::text[]) ORDER BY name',
    [[...SNAPSHOT_SETTINGS]],
  );
  const settings: Record<string, string> = {};
  for (const row of r.rows) settings[row.name] = row.value;
  return { serverVersion: (v.rows[0]?.text ?? '').split(' ')[0] ?? '', major: Math.floor(Number(v.rows[0]?.num) / 10000), settings };
}

export interface Capacity {
  maxConnections: number;
  /** Slots kept for superusers (and, on 16+, for pg_use_reserved_connections), which we cannot use. */
  reserved: number;
  inUse: number;
  superuser: boolean;
  /** Connections a new client of ours may still open. */
  available: number;
}

export async function readCapacity(db: Queryable): Promise<Capacity> {
  const r = await db.query<{ max: number; su_reserved: number; reserved: number; in_use: number; superuser: boolean }>(
    `SELECT current_setting('max_connections')::int AS max,
            current_setting('superuser_reserved_connections')::int AS su_reserved,
            coalesce((SELECT setting::int FROM pg_catalog.pg_settings WHERE name = 'reserved_connections'), 0) AS reserved,
            (SELECT count(*)::int FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend') AS in_use,
            (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) AS superuser`,
  );
  const row = r.rows[0]!;
  const reserved = row.superuser ? 0 : row.su_reserved + row.reserved;
  return { maxConnections: row.max, reserved, inUse: row.in_use, superuser: row.superuser, available: Math.max(0, row.max - reserved - row.in_use) };
}

/** Undefined when the clients fit; else what is wrong and what to do, in words. */
export function capacityProblem(clients: number, c: Capacity): string | undefined {
  if (clients <= c.available) return undefined;
  return `${clients} clients do not fit: the server accepts ${c.available} more connection${c.available === 1 ? '' : 's'} (max_connections ${c.maxConnections}, ${c.inUse} in use${c.reserved ? `, ${c.reserved} reserved` : ''}). Use at most ${c.available} clients, or raise max_connections (a restart) if the server is sized for more.`;
}
