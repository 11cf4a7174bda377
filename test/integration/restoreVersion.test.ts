// pg_restore's major, checked as pg_dump's: an archive whose header says a newer pg_dump than the
// installed pg_restore, and a server newer than it, are refused before pg_restore runs — no
// database created, no verdict written. The archive is a real pg_dump 15 dump whose header is
// patched in a temp copy; a wrapper pg_restore (pgBinDir) records every time it is run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgServer, type PgServer } from '../../scripts/lib/pgServer';
import { runBackup } from '../../src/core/backup/backup';
import { readArchiveHeader } from '../../src/core/backup/archiveOffsets';
import { readManifest } from '../../src/core/backup/manifest';
import { manifestPathFor } from '../../src/core/backup/naming';
import { restoreBackup } from '../../src/core/backup/restore';
import { verifyBackup } from '../../src/core/backup/verify';
import { parseConnectionUrl, withDatabase, type PgConnection } from '../../src/core/db/connection';
import { findPgTool } from '../../src/core/pgtools/tools';
import type { TestServer } from '../support/testServer';
import { DUMP_MAJOR, databases, sql, startBackupServer } from './backupSupport';

let server: TestServer;
let newer: PgServer | undefined;
let root: string;
let target: PgConnection;
let good: string;
let patched: string;
let binDir: string;
let runs: string;

before(async () => {
  server = await startBackupServer();
  await sql(server.urlFor('postgres'), 'CREATE DATABASE "small"');
  await sql(server.urlFor('small'), 'CREATE TABLE "t" AS SELECT g AS "id" FROM generate_series(1, 100) g');
  target = parseConnectionUrl(server.urlFor('small'));
  root = mkdtempSync(join(tmpdir(), 'pgdba-restore-version-'));
  good = (await runBackup({ target, dir: join(root, 'made'), compression: 'none' })).path;

  // The pg_dump version string is the header's last one (dbname, server version, pg_dump version).
  const header = await readArchiveHeader(good);
  assert.match(header.dumpVersion ?? '', new RegExp(`^${DUMP_MAJOR}\\.`));
  const bytes = readFileSync(good);
  const at = bytes.subarray(0, 1024).lastIndexOf(Buffer.from(header.dumpVersion!));
  assert.ok(at > 0, 'the pg_dump version is in the header');
  bytes.write(String(DUMP_MAJOR + 1), at, 'latin1');
  patched = join(root, 'small-2025-01-01_02-00-00.dump');
  writeFileSync(patched, bytes);

  // A pg_restore that logs each run, then is the real one.
  const real = (await findPgTool('pg_restore')).path;
  binDir = join(root, 'bin');
  runs = join(root, 'pg_restore.runs');
  writeFileSync(runs, '');
  const wrapper = join(binDir, 'pg_restore');
  mkdirSync(binDir);
  writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${runs}'\nexec '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
});

after(async () => {
  await newer?.stop();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

/** What the wrapper was run with, other than --version. */
const realRuns = () =>
  readFileSync(runs, 'utf8')
    .split('\n')
    .filter((l) => l && l !== '--version');

const TOO_NEW = new RegExp(
  `^pg_restore ${DUMP_MAJOR} cannot read an archive made by pg_dump ${DUMP_MAJOR + 1}: install postgresql-client-${DUMP_MAJOR + 1} or set pgdba\\.pgBinDir / --pg-bin-dir$`,
);

test('the patched header reads as a newer pg_dump; the original one restores through the wrapper', async () => {
  assert.match((await readArchiveHeader(patched)).dumpVersion ?? '', new RegExp(`^${DUMP_MAJOR + 1}\\.`));
  const r = await restoreBackup({ file: good, target: withDatabase(target, 'small_ok'), tools: { pgBinDir: binDir } });
  assert.equal(r.sampleCounts[0]?.rows, 100);
  assert.ok(realRuns().length > 0, 'the wrapper is the pg_restore that ran');
});

test('restore of an archive from a newer pg_dump: refused before pg_restore runs, no database created', async () => {
  writeFileSync(runs, '');
  await assert.rejects(restoreBackup({ file: patched, target: withDatabase(target, 'small_new'), tools: { pgBinDir: binDir } }), { message: TOO_NEW });
  assert.deepEqual(realRuns(), []);
  assert.ok(!(await databases(server.url)).includes('small_new'));
  // Over an existing database: refused before its safety backup too.
  await assert.rejects(
    restoreBackup({ file: patched, target, mode: 'replace', confirmedName: 'small', safetyBackupDir: join(root, 'safety'), tools: { pgBinDir: binDir } }),
    { message: TOO_NEW },
  );
  assert.deepEqual(realRuns(), []);
  assert.ok(!existsSync(join(root, 'safety')), 'no safety backup was taken');
});

test('verify, quick and full: the same refusal, and no verdict in a manifest', async () => {
  writeFileSync(runs, '');
  await assert.rejects(verifyBackup({ file: patched, tools: { pgBinDir: binDir } }), { message: TOO_NEW });
  await assert.rejects(verifyBackup({ file: patched, full: true, target, tools: { pgBinDir: binDir } }), { message: TOO_NEW });
  assert.deepEqual(realRuns(), []);
  assert.equal(existsSync(manifestPathFor(patched)) ? (await readManifest(patched))?.verification : undefined, undefined);
  assert.ok(!(await databases(server.url)).some((d) => d.includes('_verify_')));
});

test('restore into a server newer than pg_restore: refused before pg_restore runs', async () => {
  newer = await startPgServer({ major: DUMP_MAJOR + 1, fast: true });
  writeFileSync(runs, '');
  const copy = join(root, 'small-2025-01-02_02-00-00.dump');
  copyFileSync(good, copy);
  await assert.rejects(restoreBackup({ file: copy, target: withDatabase(parseConnectionUrl(newer.url), 'small'), tools: { pgBinDir: binDir } }), {
    message: new RegExp(
      `^pg_restore ${DUMP_MAJOR} cannot restore into PostgreSQL ${DUMP_MAJOR + 1}: install postgresql-client-${DUMP_MAJOR + 1} or set pgdba\\.pgBinDir / --pg-bin-dir$`,
    ),
  });
  assert.deepEqual(realRuns(), []);
  assert.ok(!(await databases(newer.url)).includes('small'));
});
