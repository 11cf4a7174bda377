// Runner side of the explorer's fault test: a second server of another major, with the main
// server's password (so PGPASSWORD in the host fits both), that the test in the extension host
// stops and starts again itself; and a port where nothing listens.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, pidAlive, startPgServer, type PgServer } from '../../scripts/lib/pgServer';
import type { FaultServer } from './protocol';

export const FAULT_SETTINGS = { work_mem: '8MB' } as const;

export async function startFaultServer(mainMajor: number, password: string): Promise<{ server: PgServer; info: FaultServer; stop: () => Promise<void> }> {
  // The other side of 16, where reserved_connections came and vacuum_defer_cleanup_age went.
  const major = mainMajor >= 16 ? 15 : 17;
  const server = await startPgServer({ major, fast: true, settings: { ...FAULT_SETTINGS } });
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    await c.query(`ALTER ROLE postgres PASSWORD '${password.replace(/'/g, "''")}'`);
  } finally {
    await c.end();
  }
  const info: FaultServer = {
    host: server.host,
    port: server.port,
    major,
    dataDir: server.dataDir,
    socketDir: server.socketDir,
    binDir: server.binDir,
    settings: { listen_addresses: '127.0.0.1', unix_socket_directories: server.socketDir, ...FAULT_SETTINGS },
    closedPort: await freePort(),
  };
  return {
    server,
    info,
    async stop() {
      // The test may have left a postmaster of its own start running (a failure mid-test).
      const pidFile = join(server.dataDir, 'postmaster.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      if (pid && pidAlive(pid)) {
        process.kill(pid, 'SIGINT');
        for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      }
      await server.stop();
    },
  };
}
