// The temp sweep knows every temp name pgdba makes (naming.ts's tempPathFor: dump parts, unpacked
// copies, downloads, manifests; and the manifest temps of earlier versions) and removes those of
// processes that are gone, never a live one's nor a file that is not a temp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { tempPathFor } from '../../../../src/core/backup/naming';
import { sweepStaleTemps } from '../../../../src/core/backup/tempFiles';
import { tempDir } from '../../../support/tempDir';

const deadPid = (): number => {
  const r = spawnSync('sh', ['-c', 'echo $$']);
  return Number(r.stdout.toString().trim());
};

test('every tag pgdba writes, of a dead process, is swept; a live one and the backups stay', async () => {
  const dir = tempDir('sweep');
  const dead = deadPid();
  const file = 'app-2026-12-01_02-00-00.dump.zst';
  const asDead = (p: string) => basename(p).replace(`-${process.pid}-`, `-${dead}-`);
  const stale = ['part', 'unpacked', 'download', 'manifest'].map((tag) => asDead(tempPathFor(dir, tag === 'manifest' ? `${file}.manifest.json` : file, tag)));
  stale.push(`.${Date.now().toString(36)}-${dead}.manifest.tmp`); // the manifest temp of earlier versions
  const live = basename(tempPathFor(dir, file, 'part'));
  for (const n of [...stale, live, file, `${file}.manifest.json`]) writeFileSync(`${dir}/${n}`, 'x');
  assert.equal(dirname(tempPathFor(dir, file, 'x')), dir);
  const removed = await sweepStaleTemps(dir);
  assert.deepEqual(removed.sort(), stale.sort());
  assert.deepEqual(readdirSync(dir).sort(), [live, file, `${file}.manifest.json`].sort());
});
