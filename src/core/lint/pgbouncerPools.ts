// Pool arithmetic: how many server connections PgBouncer may open to PostgreSQL, against the
// connections PostgreSQL accepts from ordinary users (max_connections − superuser_reserved_connections
// − reserved_connections on 16+). PgBouncer keeps one pool per (database, user) pair of
// pool_size + reserve_pool_size connections; max_db_connections caps a database across users and
// max_user_connections a user across databases (doc/config.md). A "*" database or a database
// without user= makes the number of pools depend on the clients, so that case is information.
import type { IniEntry } from '../conf/pgbouncerParser';
import { parseCInt } from './pgbouncerSettings';
import type { SourceRange } from './finding';

export interface PgServerLimits {
  maxConnections: number;
  superuserReservedConnections: number;
  reservedConnections: number;
  /** Where the figures come from, e.g. "postgresql.conf" or "PostgreSQL 16 defaults". */
  source: string;
}

export interface PoolDatabase {
  name: string;
  entry: IniEntry;
  params: Record<string, string>;
}

export interface PoolUser {
  name: string;
  entry: IniEntry;
  params: Record<string, string>;
}

export interface PoolFinding {
  severity: 'warning' | 'info';
  code: string;
  message: string;
  range: SourceRange;
}

const num = (v: string | undefined) => (v === undefined ? undefined : parseCInt(v));
const cap = (n: number | undefined) => (n === undefined || n <= 0 ? Infinity : n);

function availableConnections(s: PgServerLimits): { available: number; how: string } {
  const available = s.maxConnections - s.superuserReservedConnections - s.reservedConnections;
  const reserved = s.reservedConnections > 0 ? ` − reserved_connections ${s.reservedConnections}` : '';
  return {
    available,
    how: `max_connections ${s.maxConnections} − superuser_reserved_connections ${s.superuserReservedConnections}${reserved} = ${available}, from ${s.source}`,
  };
}

export function checkPools(
  global: Map<string, IniEntry>,
  databases: PoolDatabase[],
  users: PoolUser[],
  server: PgServerLimits,
  sectionRange?: SourceRange,
): PoolFinding[] {
  const out: PoolFinding[] = [];
  const { available, how } = availableConnections(server);
  const g = (k: string) => num(global.get(k)?.value);
  const defPool = g('default_pool_size') ?? 20;
  const defReserve = g('reserve_pool_size') ?? 0;
  const maxDb = g('max_db_connections') ?? 0;
  const maxUser = g('max_user_connections') ?? 0;
  const globalRange = (k: string, fallback: SourceRange) => global.get(k)?.valueRange ?? fallback;

  // One pool bigger than the server on its own.
  let reportedDefault = false;
  for (const db of databases) {
    const own = db.params.pool_size !== undefined || (db.params.reserve_pool_size ?? db.params.reserve_pool) !== undefined;
    const size = (num(db.params.pool_size) ?? defPool) + (num(db.params.reserve_pool_size ?? db.params.reserve_pool) ?? defReserve);
    if (size <= available || (!own && reportedDefault)) continue;
    if (!own) reportedDefault = true;
    out.push({
      severity: 'warning',
      code: 'PGB020',
      message: `one pool of ${own ? `database "${db.name}"` : 'default_pool_size + reserve_pool_size'} may open ${size} server connections, more than the ${available} PostgreSQL accepts (${how})`,
      range: own ? db.entry.valueRange : globalRange('default_pool_size', db.entry.keyRange),
    });
  }
  for (const u of users) {
    if (u.params.pool_size === undefined) continue;
    const size = (num(u.params.pool_size) ?? defPool) + (num(u.params.reserve_pool_size) ?? defReserve);
    if (size > available)
      out.push({
        severity: 'warning',
        code: 'PGB020',
        message: `one pool of user "${u.name}" may open ${size} server connections, more than the ${available} PostgreSQL accepts (${how})`,
        range: u.entry.valueRange,
      });
  }

  // Caps that do not cap anything.
  const overCap = (value: number | undefined, what: string, range: SourceRange | undefined) => {
    if (value !== undefined && value > available && range)
      out.push({
        severity: 'warning',
        code: 'PGB021',
        message: `${what} ${value} is more than the ${available} connections PostgreSQL accepts (${how}): the limit never applies before PostgreSQL refuses connections`,
        range,
      });
  };
  overCap(maxDb || undefined, 'max_db_connections', global.get('max_db_connections')?.valueRange);
  overCap(maxUser || undefined, 'max_user_connections', global.get('max_user_connections')?.valueRange);
  for (const db of databases) overCap(num(db.params.max_db_connections) || undefined, `max_db_connections of "${db.name}"`, db.entry.valueRange);
  for (const u of users) overCap(num(u.params.max_user_connections) || undefined, `max_user_connections of "${u.name}"`, u.entry.valueRange);

  // All explicitly listed databases busy at once.
  const explicit = databases.filter((d) => d.name !== '*');
  const pairSize = (d: PoolDatabase) => (num(d.params.pool_size) ?? defPool) + (num(d.params.reserve_pool_size ?? d.params.reserve_pool) ?? defReserve);
  const dbCap = (d: PoolDatabase) => {
    const limit = cap(num(d.params.max_db_connections) ?? maxDb);
    return d.params.user !== undefined ? Math.min(pairSize(d), limit) : limit;
  };
  const caps = explicit.map(dbCap);
  if (explicit.length >= 2 && caps.every((c) => Number.isFinite(c))) {
    let total = caps.reduce((a, b) => a + b, 0);
    if (explicit.every((d) => d.params.user !== undefined) && maxUser > 0) {
      const forced = new Set(explicit.map((d) => d.params.user));
      total = Math.min(total, forced.size * maxUser);
    }
    if (total > available)
      out.push({
        severity: 'warning',
        code: 'PGB022',
        message: `the ${explicit.length} databases listed here may open ${total} server connections together, more than the ${available} PostgreSQL accepts (${how}): lower pool_size or max_db_connections`,
        range: sectionRange ?? explicit[0]?.entry.keyRange ?? { line: 1, column: 1, endLine: 1, endColumn: 1 },
      });
  }

  // Pools that multiply with the clients.
  for (const db of databases) {
    const p = pairSize(db);
    if (p > available) continue;
    const dCap = cap(num(db.params.max_db_connections) ?? maxDb);
    const uCap = cap(maxUser);
    if (db.name === '*') {
      const hit = smallestOverflow(dCap, uCap, p, available);
      if (hit)
        out.push({
          severity: 'info',
          code: 'PGB023',
          message:
            `"*" opens a pool of ${p} (pool_size + reserve_pool_size) for every database and user clients ask for` +
            `${Number.isFinite(dCap) ? `, at most ${dCap} per database (max_db_connections)` : ''}${Number.isFinite(uCap) ? `, at most ${uCap} per user (max_user_connections)` : ''}: ` +
            `${hit.dbs} database${hit.dbs > 1 ? 's' : ''} used by ${hit.users} user${hit.users > 1 ? 's' : ''} may ask for ${hit.total}, more than the ${available} PostgreSQL accepts (${how})`,
          range: db.entry.keyRange,
        });
    } else if (db.params.user === undefined) {
      const hit = smallestOverflow(Math.min(dCap, Infinity), uCap, p, available, 1);
      if (hit)
        out.push({
          severity: 'info',
          code: 'PGB023',
          message: `without user= every client user gets its own pool of ${p} for "${db.name}"${Number.isFinite(dCap) ? ` (at most ${dCap}, max_db_connections)` : ''}: ${hit.users} users may ask for ${hit.total}, more than the ${available} PostgreSQL accepts (${how})`,
          range: db.entry.keyRange,
        });
    }
  }
  return out;
}

/** The fewest databases × users whose pools, within the caps, exceed `available`. */
function smallestOverflow(
  dbCap: number,
  userCap: number,
  pair: number,
  available: number,
  fixedDbs?: number,
): { dbs: number; users: number; total: number } | undefined {
  let best: { dbs: number; users: number; total: number } | undefined;
  const maxD = fixedDbs ?? 64;
  for (let d = fixedDbs ?? 1; d <= maxD; d++)
    for (let u = 1; u <= 64; u++) {
      const total = Math.min(d * dbCap, u * userCap, d * u * pair);
      if (total > available && (!best || d + u < best.dbs + best.users)) best = { dbs: d, users: u, total };
    }
  return best && best.dbs * best.users > 1 ? best : undefined;
}
