// The linter against a real server's running values: the info rules (PGC30x) compare a line with
// what the server runs, read from pg_settings, instead of the built-in default.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { readRunningValues, runningValuesQuery, runQuery } from '../../src/core/stats';
import { lintFileSet } from '../../src/core/lint/lintFileSet';
import { lintFilesOf } from '../../src/core/lint/lintFiles';
import { assertShape } from './statsSupport';

let srv: TestServer;
let pool: pg.Pool;
let versionNum: number;

before(async () => {
  // Values that differ from the defaults (work_mem 4MB, random_page_cost 4, max_connections 100).
  srv = await getTestServer({ settings: { work_mem: '8MB', random_page_cost: 1.1, max_connections: 40 } });
  pool = new pg.Pool({ connectionString: srv.url, max: 1 });
  pool.on('error', () => undefined);
  const r = await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  versionNum = Number(r.rows[0]?.v);
});

after(async () => {
  await pool?.end();
  await srv?.stop();
});

const infos = (text: string, runningValues?: Record<string, string>) =>
  [
    ...lintFileSet([{ path: 'postgresql.conf', type: 'conf' }], lintFilesOf(new Map([['postgresql.conf', text]])), {
      major: Math.floor(versionNum / 10000),
      runningValues,
    }).values(),
  ]
    .flat()
    .filter((f) => f.severity === 'info' && /^PGC30/.test(f.code));

test('running values: one row per setting, keyed in lower case, in base units', async () => {
  assertShape(runningValuesQuery, await runQuery(pool, runningValuesQuery, { versionNum }));
  const v = await readRunningValues(pool, { versionNum });
  assert.equal(v.work_mem, '8192'); // kB, as pg_settings.setting keeps it
  assert.equal(v.random_page_cost, '1.1');
  assert.equal(v.max_connections, '40');
  assert.ok(v.datestyle, 'DateStyle is keyed as datestyle');
  assert.ok(Object.keys(v).length > 250, `only ${Object.keys(v).length} settings`);
});

test('the info rules compare with the running value, not the default', async () => {
  const running = await readRunningValues(pool, { versionNum });
  const text = 'work_mem = 8MB\nrandom_page_cost = 1.1\nmax_connections = 100\nshared_buffers = 128MB\n';
  // Without the server: every line but the default shared_buffers differs from the default.
  const bare = infos(text).map((f) => f.message);
  assert.ok(
    bare.some((m) => /^work_mem = 8MB differs from the default 4MB/.test(m)),
    bare.join('\n'),
  );
  assert.ok(
    bare.some((m) => /^random_page_cost = 1\.1 differs from the default/.test(m)),
    bare.join('\n'),
  );
  assert.ok(!bare.some((m) => /^max_connections/.test(m)), bare.join('\n'));
  // With it: the lines the server already runs cost nothing; max_connections 100 needs a restart.
  const live = infos(text, running);
  assert.deepEqual(
    live.map((f) => `${f.code} ${f.message}`),
    ['PGC301 max_connections = 100 differs from the running value 40 (context postmaster): applying it needs a server restart'],
  );
});
