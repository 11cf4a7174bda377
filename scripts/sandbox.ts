// `npm run sandbox`: pgdba running against a real server, with nothing to configure.
//  1. an embedded PostgreSQL 16 kept in .sandbox/pg, with the hotel database (generated once,
//     deterministically) and pg_stat_statements loaded;
//  2. the extension packaged (.vsix) and installed into a code-server;
//  3. a workspace with the seed's postgresql.conf, pg_hba.conf, pgbouncer.ini and queries, and a
//     connection profile to the hotel database; the password reaches pgdba through a 0600
//     .pgpass (PGPASSFILE), as it would on a DBA's machine — never through settings.
// Prints the URL, runs until Ctrl-C, then stops everything it started.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startPgServer, type PgServer } from './lib/pgServer';
import { createHotelDatabase, SANDBOX_SCALE } from './lib/hotelData';
import { startVscodeHost, type VscodeHost } from './lib/vscodeHost';

const ROOT = resolve(__dirname, '..');
const HOME = join(ROOT, '.sandbox');
const say = (s: string) => console.log(`sandbox: ${s}`);

async function prepareDatabase(server: PgServer): Promise<void> {
  const c = new pg.Client(server.url);
  await c.connect();
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const has = await c.query("SELECT 1 FROM pg_tables WHERE tablename = 'hotels'");
    if (has.rowCount === 0) {
      say(`generating the hotel database (${SANDBOX_SCALE.hotels} hotels, ${SANDBOX_SCALE.reservations.toLocaleString('en')} reservations)…`);
      const t = Date.now();
      await c.query('BEGIN');
      await createHotelDatabase(c, SANDBOX_SCALE);
      await c.query('COMMIT');
      say(`generated in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await c.end();
  }
}

function prepareWorkspace(): string {
  const ws = join(HOME, 'workspace');
  mkdirSync(ws, { recursive: true });
  const samples = join(ROOT, 'scripts', 'sandbox-workspace');
  // Copy once: the person's edits survive a restart of the sandbox.
  for (const f of readdirSync(samples)) if (!existsSync(join(ws, f))) copyFileSync(join(samples, f), join(ws, f));
  return ws;
}

function writePgpass(server: PgServer): string {
  const file = join(HOME, 'pgpass');
  writeFileSync(file, `127.0.0.1:${server.port}:*:${server.user}:${server.password}\n`, { mode: 0o600 });
  return file;
}

function packageExtension(): string {
  say('building and packaging pgdba…');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(ROOT, `${name}-${version}.vsix`);
}

async function main(): Promise<void> {
  mkdirSync(HOME, { recursive: true });
  const vsix = packageExtension();
  say('starting PostgreSQL 16…');
  const server = await startPgServer({
    major: 16,
    dataDir: join(HOME, 'pg'),
    database: 'hotel',
    settings: { shared_preload_libraries: 'pg_stat_statements', track_io_timing: 'on', 'pg_stat_statements.track': 'all' },
  });
  let host: VscodeHost | undefined;
  const stopAll = async () => {
    await host?.stop();
    await server.stop();
  };
  try {
    await prepareDatabase(server);
    const workspace = prepareWorkspace();
    say('starting VS Code (code-server)…');
    host = await startVscodeHost({
      workspace,
      vsix: [vsix],
      userDataDir: join(HOME, 'user-data'),
      env: { PGPASSFILE: writePgpass(server) },
      settings: {
        'pgdba.connections': [{ name: 'hotel (sandbox)', host: '127.0.0.1', port: server.port, database: 'hotel', user: server.user }],
        'pgdba.hardware.ramGB': 4,
        'pgdba.hardware.cpus': 4,
        'pgdba.hardware.storage': 'ssd',
        'pgdba.hardware.workload': 'web',
        'git.openRepositoryInParentFolders': 'never',
      },
    });
  } catch (e) {
    await stopAll();
    throw e;
  }
  console.log(`
  pgdba sandbox is running
    VS Code:     ${host.workspaceUrl}
    PostgreSQL:  postgres://${server.user}@127.0.0.1:${server.port}/hotel  (password in .sandbox/pgpass)
  Press Ctrl-C to stop.
`);
  await new Promise<void>((done) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => done());
  });
  say('stopping…');
  await stopAll();
  say('stopped.');
}

main().catch((e: unknown) => {
  console.error(`sandbox: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
