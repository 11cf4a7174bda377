// A real PgBouncer (Debian's package) in transaction pooling mode in front of a test server,
// on a free port, in a temp dir; stopped and removed by stop().
import { spawn, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { freePort } from '../../scripts/lib/pgServer';

export const PGBOUNCER = '/usr/sbin/pgbouncer';

export interface Bouncer {
  port: number;
  /** The running pgbouncer.ini (rewritten by a test before RELOAD). */
  iniPath: string;
  /** PgBouncer's log file; removed with its folder by stop(). */
  logFile: string;
  stop: () => Promise<void>;
}

export function pgbouncerMissing(): string | undefined {
  return existsSync(PGBOUNCER) ? undefined : `${PGBOUNCER} is missing: run \`bash scripts/setup-system.sh\` (Debian's pgbouncer package)`;
}

export interface BouncerOptions {
  /** Off: configured like the seed's pgbouncer.ini, which passes no extra startup parameters. */
  ignoreStartupParameters?: boolean;
  /** [pgbouncer] settings over the defaults below (admin_users, default_pool_size …). */
  settings?: Record<string, string>;
  /** [databases] lines before the catch-all "*", each `name = options` with the server's host, port, user and password added. */
  databases?: Record<string, string>;
  /** More users of auth_file (the console's admin and stats users): trust still needs a user listed. */
  users?: string[];
  /** stats_period in seconds (PgBouncer's default is 60): the log's periodic "stats:" lines. */
  statsPeriod?: number;
}

export async function startPgbouncer(
  server: { host: string; port: number; user: string; password: string },
  poolMode = 'transaction',
  options: BouncerOptions = {},
): Promise<Bouncer> {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bouncer-'));
  const port = await freePort();
  // Clients reach the bouncer with trust (a test on loopback); the bouncer logs in to the server
  // with the password in its [databases] line, as a real deployment's auth_file would give it.
  const backend = `host=${server.host} port=${server.port} user=${server.user} password=${server.password}`;
  const settings: Record<string, string> = {
    listen_addr: '127.0.0.1',
    listen_port: String(port),
    unix_socket_dir: '',
    auth_type: 'trust',
    auth_file: join(dir, 'userlist.txt'),
    pool_mode: poolMode,
    default_pool_size: '4',
    max_client_conn: '100',
    ...(options.ignoreStartupParameters === false ? {} : { ignore_startup_parameters: 'extra_float_digits,statement_timeout' }),
    ...(options.statsPeriod !== undefined ? { stats_period: String(options.statsPeriod) } : {}),
    logfile: join(dir, 'pgbouncer.log'),
    pidfile: join(dir, 'pgbouncer.pid'),
    ...options.settings,
  };
  const databases = Object.entries(options.databases ?? {}).map(([name, opts]) => `${name} = ${backend} ${opts}\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    `[databases]\n${databases.join('')}* = ${backend}\n\n[pgbouncer]\n${Object.entries(settings)
      .map(([k, v]) => `${k} = ${v}\n`)
      .join('')}`,
  );
  writeFileSync(join(dir, 'userlist.txt'), [server.user, ...(options.users ?? [])].map((u) => `"${u}" ""\n`).join(''));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    for (const f of ['', 'pgbouncer.ini', 'userlist.txt']) chownSync(join(dir, f), uid, gid);
  }
  const child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) {
      return {
        port,
        iniPath: join(dir, 'pgbouncer.ini'),
        logFile: join(dir, 'pgbouncer.log'),
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => {
              rmSync(dir, { recursive: true, force: true });
              done();
            });
            child.kill('SIGINT');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`pgbouncer did not start: ${output.trim().split('\n').slice(-5).join(' | ')}`);
}
