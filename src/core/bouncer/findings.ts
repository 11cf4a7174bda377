// What a DBA should know about a PgBouncer, from one snapshot and the server behind it: clients
// queueing, pools at their size, the reserve pool in use, the pool arithmetic against the
// server's free connections (live figures on both sides), and md5 against SCRAM passwords. Pure:
// rows in, findings out; thresholds are pgdba.alerts.thresholds'.
import { levelFor, type AlertLevel, type Thresholds } from '../stats/thresholds';
import type { ServerRoom } from './serverRoom';
import { isConsolePool, type BouncerSnapshot } from './snapshot';
import { poolServerConnections, type DatabaseRow, type PoolRow } from './showRows';

export type BouncerCheck = 'client-wait' | 'maxwait' | 'pool-full' | 'reserve-pool' | 'server-room' | 'auth-type';

export type BouncerLevel = AlertLevel | 'info';

export interface BouncerFinding {
  check: BouncerCheck;
  level: BouncerLevel;
  /** "database/user" of a pool, "server", "auth_type". */
  subject: string;
  message: string;
  value?: number;
  threshold?: number;
  /** What to change, in words or as a pgbouncer.ini line. */
  fix?: string;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const poolName = (p: Pick<PoolRow, 'database' | 'user'>) => `${p.database}/${p.user}`;

function databaseOf(databases: readonly DatabaseRow[], name: string): DatabaseRow | undefined {
  return databases.find((d) => d.name === name);
}

/** The pools of the server's databases (not the console's own). */
function servedPools(s: Pick<BouncerSnapshot, 'pools'>): PoolRow[] {
  return s.pools.filter((p) => !isConsolePool(p.database));
}

export function waitFindings(s: Pick<BouncerSnapshot, 'pools' | 'clients'>, t: Thresholds): BouncerFinding[] {
  const out: BouncerFinding[] = [];
  for (const p of servedPools(s)) {
    // Only a client in state "waiting" waits now; an active one keeps the wait of its last queueing.
    const waiting = s.clients.filter(
      (c) => c.state === 'waiting' && c.database === p.database && c.user === p.user && c.waitSeconds > t.bouncerClientWaitSeconds.warn,
    );
    if (waiting.length) {
      const longest = Math.max(...waiting.map((c) => c.waitSeconds));
      const hit = levelFor('bouncerClientWaitSeconds', longest, t.bouncerClientWaitSeconds);
      if (hit)
        out.push({
          check: 'client-wait',
          level: hit.level,
          subject: poolName(p),
          value: longest,
          threshold: hit.threshold,
          message: `${waiting.length} client(s) of pool ${poolName(p)} have waited more than ${t.bouncerClientWaitSeconds.warn} s for a server connection (the longest ${r1(longest)} s)`,
          fix: 'raise the pool_size of this database (or default_pool_size) within the server’s free connections, or find what holds the server connections (long transactions)',
        });
    }
    const hit = levelFor('bouncerMaxWaitSeconds', p.maxwaitSeconds, t.bouncerMaxWaitSeconds);
    if (hit)
      out.push({
        check: 'maxwait',
        level: hit.level,
        subject: poolName(p),
        value: p.maxwaitSeconds,
        threshold: hit.threshold,
        message: `pool ${poolName(p)}: maxwait ${r1(p.maxwaitSeconds)} s is above the ${hit.level} threshold of ${hit.threshold} s (${p.clWaiting} client(s) waiting)`,
      });
  }
  return out;
}

export function poolSizeFindings(s: Pick<BouncerSnapshot, 'pools' | 'databases' | 'config'>): BouncerFinding[] {
  const out: BouncerFinding[] = [];
  const defaultSize = Number(s.config.get('default_pool_size') ?? 0);
  for (const p of servedPools(s)) {
    const db = databaseOf(s.databases, p.database);
    const size = db?.poolSize ?? defaultSize;
    if (!(size > 0)) continue;
    const held = poolServerConnections(p);
    if (held > size) {
      // Above pool_size, the reserve pool: in use while more than pool_size are busy; else opened at a peak and idle now.
      const busy = p.svActive > size || p.clWaiting > 0;
      out.push({
        check: 'reserve-pool',
        level: busy ? 'warning' : 'info',
        subject: poolName(p),
        value: held,
        threshold: size,
        message: busy
          ? `pool ${poolName(p)} holds ${held} server connections, above its pool_size of ${size}: the reserve pool is in use`
          : `pool ${poolName(p)} holds ${held} server connections, above its pool_size of ${size}: the reserve pool was opened at a peak (idle now; server_idle_timeout closes them)`,
        fix: 'the pool is too small for the load at times: raise pool_size, or shorten the transactions that hold server connections',
      });
    }
    if (held >= size && p.clWaiting > 0)
      out.push({
        check: 'pool-full',
        level: 'warning',
        subject: poolName(p),
        value: p.clWaiting,
        message: `pool ${poolName(p)} is at its size (${held} of ${size} server connections) with ${p.clWaiting} client(s) waiting`,
        fix: `raise pool_size for ${p.database} in [databases] (or default_pool_size), within the server’s free connections`,
      });
  }
  return out;
}

/**
 * The most server connections the pools may open (each pool: its database's pool_size plus its
 * reserve_pool, a database capped at its max_connections when it has one) against the room the
 * server has for them now: max_connections − reserved − the backends that are not PgBouncer's.
 */
export function serverRoomFindings(s: Pick<BouncerSnapshot, 'pools' | 'databases' | 'config'>, room: ServerRoom): BouncerFinding[] {
  const pools = servedPools(s);
  const held = pools.reduce((a, p) => a + poolServerConnections(p), 0);
  const others = Math.max(0, room.clientBackends - held);
  const free = room.maxConnections - room.reserved - others;
  const defaultSize = Number(s.config.get('default_pool_size') ?? 0);
  const defaultReserve = Number(s.config.get('reserve_pool_size') ?? 0);
  const perDb = new Map<string, number>();
  for (const p of pools) {
    const db = databaseOf(s.databases, p.database);
    const n = (db?.poolSize ?? defaultSize) + (db?.reservePool ?? defaultReserve);
    perDb.set(p.database, (perDb.get(p.database) ?? 0) + n);
  }
  let ceiling = 0;
  for (const [name, n] of perDb) {
    const cap = databaseOf(s.databases, name)?.maxConnections ?? 0;
    ceiling += cap > 0 ? Math.min(n, cap) : n;
  }
  const arithmetic = `max_connections ${room.maxConnections} − ${room.reserved} reserved − ${others} other backend(s)`;
  if (free - held <= 0 && pools.some((p) => p.clWaiting > 0))
    return [
      {
        check: 'server-room',
        level: 'critical',
        subject: 'server',
        value: held,
        threshold: free,
        message: `PgBouncer holds ${held} server connections and the server has no room for more (${arithmetic} = ${free}) while clients wait`,
        fix: 'lower the pools of other databases, end the other backends, or raise max_connections (a restart)',
      },
    ];
  if (ceiling > free)
    return [
      {
        check: 'server-room',
        level: 'warning',
        subject: 'server',
        value: ceiling,
        threshold: free,
        message: `PgBouncer's pools may open ${ceiling} server connections; the server has room for ${free} (${arithmetic}); ${held} in use now`,
        fix: 'lower pool_size/reserve_pool_size or set max_db_connections so that the pools fit the server, or raise max_connections',
      },
    ];
  return [];
}

export function authFindings(s: Pick<BouncerSnapshot, 'config'>, room: ServerRoom): BouncerFinding[] {
  const auth = s.config.get('auth_type');
  if (auth !== 'md5') return [];
  const scram = room.scramRoles !== undefined ? room.scramRoles > 0 : room.passwordEncryption === 'scram-sha-256';
  if (!scram) return [];
  const why =
    room.scramRoles !== undefined ? `${room.scramRoles} login role(s) on the server have SCRAM passwords` : `the server's password_encryption is scram-sha-256`;
  return [
    {
      check: 'auth-type',
      level: 'warning',
      subject: 'auth_type',
      message: `PgBouncer's auth_type is md5 while ${why}: clients authenticate to PgBouncer with the weaker md5, and a user whose auth_file entry is a SCRAM secret cannot log in with md5`,
      fix: 'auth_type = scram-sha-256 in pgbouncer.ini (with SCRAM secrets in auth_file or auth_query), then RELOAD',
    },
  ];
}

const RANK: Record<BouncerLevel, number> = { critical: 0, warning: 1, info: 2 };

/** Every finding of a snapshot; room: the server's side, when it could be read. */
export function bouncerFindings(s: BouncerSnapshot, t: Thresholds, room?: ServerRoom): BouncerFinding[] {
  const out = [...waitFindings(s, t), ...poolSizeFindings(s), ...(room ? [...serverRoomFindings(s, room), ...authFindings(s, room)] : [])];
  return out.sort((a, b) => RANK[a.level] - RANK[b.level] || a.check.localeCompare(b.check) || a.subject.localeCompare(b.subject));
}
