// The scratch database a load test runs in: always a new one named pgdba_loadtest_…, created by
// us and dropped by us (WITH (FORCE): a killed pgbench may leave backends behind). A database
// that exists already is never touched.
import { randomBytes } from 'node:crypto';
import { withClient, type PgConnection } from '../db/connection';
import { quoteIdent } from '../db/sqlIdent';

export const SCRATCH_PREFIX = 'pgdba_loadtest_';

/** pgdba_loadtest_20261126_0142_a1b2 */
export function scratchName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}_${p(now.getUTCHours())}${p(now.getUTCMinutes())}`;
  return `${SCRATCH_PREFIX}${stamp}_${randomBytes(2).toString('hex')}`;
}

/** Undefined when the name may be a scratch database; else why not. */
export function scratchNameProblem(name: string): string | undefined {
  if (!name.startsWith(SCRATCH_PREFIX))
    return `the load test's database must be named ${SCRATCH_PREFIX}… (it is created and dropped by the test), not "${name}"`;
  if (Buffer.byteLength(name) > 63) return `"${name}" is longer than PostgreSQL's 63-byte names`;
  return undefined;
}

/** Creates the database, or throws a clear error when it exists (nothing is dropped then). */
export async function createScratch(admin: PgConnection, name: string): Promise<void> {
  const problem = scratchNameProblem(name);
  if (problem) throw new Error(problem);
  await withClient(admin, async (c) => {
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (e) {
      if ((e as { code?: string }).code === '42P04')
        throw new Error(`database "${name}" exists already: a load test only runs in a database it creates; choose another name (nothing was changed)`);
      if ((e as { code?: string }).code === '42501')
        throw new Error(`${admin.user} may not create databases: a load test needs CREATEDB (ALTER ROLE ${quoteIdent(admin.user)} CREATEDB) or another user`);
      throw e;
    }
  });
}

export async function dropScratch(admin: PgConnection, name: string): Promise<void> {
  if (scratchNameProblem(name)) throw new Error(`refusing to drop "${name}": not a load-test database`);
  await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}
