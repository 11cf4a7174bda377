// Everything the console shows, read at once over one console connection: what the tree, the
// findings, the CLI and the health report take.
import type { BouncerConsole } from './console';
import {
  clientRows,
  configMap,
  databaseRows,
  listsMap,
  poolRows,
  serverRows,
  statsRows,
  versionText,
  type ClientRow,
  type DatabaseRow,
  type PoolRow,
  type ServerRow,
  type StatsRow,
} from './showRows';

export interface BouncerSnapshot {
  version: string;
  pools: PoolRow[];
  stats: StatsRow[];
  databases: DatabaseRow[];
  clients: ClientRow[];
  servers: ServerRow[];
  config: Map<string, string>;
  lists: Map<string, number>;
  /** Milliseconds since the epoch when the snapshot was read (for rates between two). */
  takenAt: number;
}

/** The part the dashboard samples every tick: pools and stats only. */
export type BouncerSample = Pick<BouncerSnapshot, 'pools' | 'stats' | 'takenAt'>;

export async function readBouncerSample(con: BouncerConsole, now: () => number = Date.now): Promise<BouncerSample> {
  const pools = poolRows(await con.show('POOLS'));
  const stats = statsRows(await con.show('STATS'));
  return { pools, stats, takenAt: now() };
}

export async function readBouncerSnapshot(con: BouncerConsole, now: () => number = Date.now): Promise<BouncerSnapshot> {
  const version = versionText(await con.show('VERSION'));
  const { pools, stats, takenAt } = await readBouncerSample(con, now);
  const databases = databaseRows(await con.show('DATABASES'));
  const clients = clientRows(await con.show('CLIENTS'));
  const servers = serverRows(await con.show('SERVERS'));
  const config = configMap(await con.show('CONFIG'));
  const lists = listsMap(await con.show('LISTS'));
  return { version, pools, stats, databases, clients, servers, config, lists, takenAt };
}

/** The console's own database (pgbouncer) is not a pool of the server's. */
export function isConsolePool(database: string): boolean {
  return database === 'pgbouncer';
}
