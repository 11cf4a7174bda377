// Truth from PgBouncer itself: each generated pgbouncer.ini is handed to the real pgbouncer
// (scripts/setup-system.sh installs it), and "PgBouncer refuses to load it" must equal "the linter
// reports an error". Only keys the installed PgBouncer knows are used (the linter's table follows
// the newest documentation). Skipped when pgbouncer is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPgbouncer } from '../../src/core/lint/pgbouncerRules';
import { tempDir } from '../support/tempDir';

const BIN = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => spawnSync(p, ['--version']).status === 0);
const dir = tempDir('pgbouncer-truth');
writeFileSync(join(dir, 'users.txt'), '"u" "p"\n');

const base = (port: number) =>
  [
    '[databases]',
    '* = host=127.0.0.1 port=5432',
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    'auth_type = trust',
    `auth_file = ${join(dir, 'users.txt')}`,
    '',
  ].join('\n');

/** True when PgBouncer refuses the file; a file it accepts starts a pgbouncer that is stopped at once. */
function refuses(text: string, n: number): Promise<{ refused: boolean; log: string }> {
  const file = join(dir, `case${n}.ini`);
  writeFileSync(file, text);
  return new Promise((done) => {
    // As root PgBouncer exits right after loading ("should not run as root"); otherwise the timeout ends it.
    execFile(BIN ?? 'pgbouncer', [file], { timeout: 10_000, killSignal: 'SIGTERM' }, (_err, out, err) => {
      const log = `${out}${err}`;
      done({ refused: /cannot load config file/.test(log), log });
    });
  });
}

const CASES: string[] = [
  'pool_mode = transaction',
  'pool_mode = Transaction',
  'pool_mode = transactoin',
  'pool_mode = transaction ; pooled per transaction',
  'defualt_pool_size = 10',
  'default_pool_size = 0x14',
  'default_pool_size = 20.5',
  'reserve_pool_timeout = 5.0',
  'server_lifetime = 1h',
  'server_check_delay = -1',
  'max_client_conn = -1',
  'listen_backlog = 010',
  'syslog_facility = nonsense',
  'auth_type = sha256',
  'auth_type = scram-sha-256',
  `logfile = ${join(dir, 'pgbouncer.log')} ; comment`,
  'verbose = 2',
  'server_tls_sslmode = VERIFY-FULL',
  'just words',
  '[pgbouncr]',
  '[databases]\napp = host=db dbname=app pool_size=10 reserve_pool=2',
  '[databases]\napp = host=db hots=x',
  '[databases]\napp = host=db pool_mode=txn',
  '[databases]\napp = host=db pool_size=abc',
  '[databases]\npgbouncer = host=db',
  "[databases]\napp = host=db connect_query='SELECT 1'",
  '[users]\nbob = pool_mode=session',
  '[users]\nbob = colour=blue',
  '%include /nonexistent/pgdba.ini',
];

test(
  'PgBouncer refuses exactly the files the linter reports errors in',
  { skip: BIN ? false : 'pgbouncer is not installed (scripts/setup-system.sh installs it)' },
  async () => {
    // A few at a time: on a busy machine a burst of PgBouncers can be killed before they log.
    const results: { refused: boolean; log: string }[] = [];
    for (let i = 0; i < CASES.length; i += 4) {
      const batch = CASES.slice(i, i + 4).map((c, j) => refuses(`${base(17000 + i + j)}${c}\n`, i + j));
      results.push(...(await Promise.all(batch)));
    }
    const report: string[] = [];
    CASES.forEach((c, i) => {
      const text = `${base(17000 + i)}${c}\n`;
      const errors = lintPgbouncer(text, { file: 'pgbouncer.ini', fileExists: () => false }).filter((f) => f.severity === 'error');
      const r = results[i];
      if (!r) return;
      if (r.refused !== errors.length > 0)
        report.push(
          `${JSON.stringify(c)}: PgBouncer ${r.refused ? 'refuses' : 'loads'} it (${r.log.split('\n').find((l) => /ERROR/.test(l)) ?? ''}); linter: ${errors.map((e) => `${e.code} ${e.message}`).join('; ') || 'no error'}`,
        );
    });
    assert.deepEqual(report, []);
    assert.ok(results.some((r) => r.refused) && results.some((r) => !r.refused));
  },
);
