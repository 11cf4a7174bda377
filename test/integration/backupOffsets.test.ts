// Data offsets for archives pg_dump wrote to a pipe (ours through zstd, the seed's through gzip):
// after archiveOffsets.ts has walked the temp copy, its TOC says what pg_dump's own TOC says when
// it writes to a file, and pg_restore -j loads tables in parallel from it. Real pg_dump 15.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDataOffsets, ArchiveFormatError, hasDataOffsets, readArchiveToc } from '../../src/core/backup/archiveOffsets';
import { prepareArchive } from '../../src/core/backup/archive';
import { restorePhases } from '../../src/core/backup/restoreCore';
import type { TestServer } from '../support/testServer';
import { createVarietyDatabase, startBackupServer } from './backupSupport';

let server: TestServer;
let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  server = await startBackupServer();
  await createVarietyDatabase(server, 'hotel');
  dir = mkdtempSync(join(tmpdir(), 'pgdba-offsets-test-'));
  const u = new URL(server.urlFor('hotel'));
  env = {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port,
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: 'hotel',
  };
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sh = (script: string) => execFileSync('bash', ['-c', `set -eo pipefail; ${script}`], { env });
const md5 = (p: string) => createHash('md5').update(readFileSync(p)).digest('hex');
const offsets = async (p: string) => (await readArchiveToc(p)).entries.map((e) => [e.dumpId, e.desc, e.state, e.offset]);

for (const [label, z] of [
  ['-Z0, as pgdba streams it into zstd', '-Z0'],
  ['compressed, as the seed pipes it into gzip', ''],
] as const) {
  test(`pipe-written archive (${label}) gets the offsets pg_dump writes to a file`, async () => {
    const piped = join(dir, `piped${z}.dump`);
    const filed = join(dir, `filed${z}.dump`);
    sh(`pg_dump -Fc ${z} | cat > ${piped}`);
    sh(`pg_dump -Fc ${z} -f ${filed}`);
    const before = await readArchiveToc(piped);
    assert.equal(hasDataOffsets(before), false, 'a pipe cannot record offsets');
    assert.ok(hasDataOffsets(await readArchiveToc(filed)));
    assert.ok(
      before.entries.some((e) => e.desc === 'BLOBS'),
      'the large object is in the archive',
    );

    const set = await addDataOffsets(piped);
    assert.equal(set, before.entries.filter((e) => e.state === 1).length);
    assert.ok(set >= 10, `${set} entries with data`);
    assert.deepEqual(await offsets(piped), await offsets(filed));
    assert.equal(statSync(piped).size, statSync(filed).size);
    assert.deepEqual(await restorePhases(piped, 2), [['-j2']]);
    assert.equal(await addDataOffsets(piped), 0, 'a second pass has nothing to do');
  });
}

test('a .dump.gz is decompressed with offsets, so restore runs every pass with -j', async () => {
  const gz = join(dir, 'hotel-2025-01-01_02-00-00.dump.gz');
  sh(`pg_dump -Fc | gzip > ${gz}`);
  const original = md5(gz);
  const prepared = await prepareArchive(gz, { tmpDir: dir });
  try {
    assert.ok(prepared.temporary);
    assert.ok(hasDataOffsets(await readArchiveToc(prepared.path)));
    assert.deepEqual(await restorePhases(prepared.path, 4), [['-j4']]);
    assert.equal(md5(gz), original, "the person's own file is never modified");
  } finally {
    await prepared.cleanup();
  }
});

test('an archive without offsets that is not ours restores data in one pass, post-data with -j', async () => {
  const piped = join(dir, 'untouched.dump');
  sh(`pg_dump -Fc -Z0 | cat > ${piped}`);
  assert.deepEqual(await restorePhases(piped, 2), [
    ['--section=pre-data', '--section=data', '-j1'],
    ['--section=post-data', '-j2'],
  ]);
});

test('a file that is not an archive, or a truncated one, is refused and left byte for byte as it was', async () => {
  const text = join(dir, 'notes.dump');
  writeFileSync(text, 'SELECT 1;\n');
  await assert.rejects(addDataOffsets(text), (e: unknown) => e instanceof ArchiveFormatError && /no PGDMP header/.test(e.message));
  assert.equal(readFileSync(text, 'utf8'), 'SELECT 1;\n');

  const cut = join(dir, 'cut.dump');
  copyFileSync(join(dir, 'untouched.dump'), cut);
  truncateSync(cut, Math.floor(statSync(cut).size * 0.6));
  const before = md5(cut);
  await assert.rejects(addDataOffsets(cut), (e: unknown) => e instanceof ArchiveFormatError && /ends inside|no data block/.test(e.message));
  assert.equal(md5(cut), before);
});
