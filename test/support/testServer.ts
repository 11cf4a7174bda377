// The PostgreSQL server an integration test talks to: PGDBA_TEST_URL when set (an existing
// server), else a throw-away server of PGDBA_TEST_MAJOR (default 16) started for this file.
import pg from 'pg';
import { DEFAULT_MAJOR, maskUrl, startPgServer, type PgServer, type PgServerOptions } from '../../scripts/lib/pgServer';

export interface TestServer {
  url: string;
  major: number;
  /** A URL for another database on the same server. */
  urlFor(database: string): string;
  /** The started server, when this run started one (undefined with PGDBA_TEST_URL). */
  server?: PgServer;
  stop(): Promise<void>;
}

export function testMajor(): number {
  const m = Number(process.env.PGDBA_TEST_MAJOR ?? DEFAULT_MAJOR);
  return Number.isInteger(m) ? m : DEFAULT_MAJOR;
}

/** Connects once to an existing server, failing fast with one line (password masked). */
export async function checkReachable(url: string, timeoutMs = 5000): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  try {
    await client.connect();
    const r = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Math.floor(Number(r.rows[0]?.v) / 10000);
  } catch (e) {
    throw new Error(`PGDBA_TEST_URL ${maskUrl(url)} is unreachable: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function getTestServer(options: PgServerOptions = {}): Promise<TestServer> {
  const external = process.env.PGDBA_TEST_URL;
  if (external && !options.major && !options.settings) {
    const major = await checkReachable(external);
    const urlFor = (db: string) => {
      const u = new URL(external);
      u.pathname = `/${encodeURIComponent(db)}`;
      return u.toString();
    };
    return { url: external, major, urlFor, stop: () => Promise.resolve() };
  }
  const server = await startPgServer({ major: testMajor(), fast: true, ...options });
  return { url: server.url, major: server.major, urlFor: server.urlFor, server, stop: () => server.stop() };
}
