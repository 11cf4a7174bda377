// The include walk over the host's snapshot: the same bounded walk as on disk, so a loop, a fan-out
// and a FIFO end with their findings and each path is read once; names come back byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfTree } from '../../../../src/core/conf/confIncludes';
import type { HostAccess } from '../../../../src/core/host/hostAccess';
import { localHost } from '../../../../src/core/host/localHost';
import { readHostConfTree } from '../../../../src/core/serverfiles/hostConfTree';
import { tempDir } from '../../../support/tempDir';

/** localHost, counting its reads by path. */
function counting(): { host: HostAccess; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const host: HostAccess = {
    ...localHost,
    readFile: (path, opts) => {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      return localHost.readFile(path, opts);
    },
  };
  return { host, reads };
}

test('a loop and a fan-out end with their findings; every file is read once', async (t) => {
  const dir = tempDir('hosttree', t);
  writeFileSync(join(dir, 'main.conf'), `include 'main.conf'\n${"include 'fan.conf'\n".repeat(5)}`);
  writeFileSync(join(dir, 'fan.conf'), `${"include 'leaf.conf'\n".repeat(5)}work_mem = '4MB'\n`);
  writeFileSync(join(dir, 'leaf.conf'), `maintenance_work_mem = '64MB'\n`);
  const { host, reads } = counting();
  const snap = await readHostConfTree(host, join(dir, 'main.conf'));
  assert.ok(
    [...reads.values()].every((n) => n === 1),
    JSON.stringify([...reads]),
  );
  const tree = resolveConfTree(join(dir, 'main.conf'), snap.text, snap.fs);
  assert.ok(tree.problems.some((p) => p.code === 'PGC004'));
  assert.equal(tree.files.filter((f) => f.path.endsWith('leaf.conf')).length, 25);
});

test('include_dir over the host: names with spaces and newlines listed exactly, a FIFO refused from stat, never read', async (t) => {
  const dir = tempDir('hostdir', t);
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'main.conf'), "include_dir 'conf.d'\ninclude 'pipe.conf'\n");
  writeFileSync(join(dir, 'conf.d', 'a b.conf'), "work_mem = '8MB'\n");
  writeFileSync(join(dir, 'conf.d', 'x\ny.conf'), "work_mem = '9MB'\n");
  writeFileSync(join(dir, 'conf.d', '.hidden.conf'), 'not read\n');
  execFileSync('mkfifo', [join(dir, 'pipe.conf')]);
  const { host, reads } = counting();
  const snap = await readHostConfTree(host, join(dir, 'main.conf'));
  assert.deepEqual(snap.files, [join(dir, 'main.conf'), join(dir, 'conf.d', 'a b.conf'), join(dir, 'conf.d', 'x\ny.conf')]);
  assert.equal(reads.has(join(dir, 'pipe.conf')), false);
  const tree = resolveConfTree(join(dir, 'main.conf'), snap.text, snap.fs);
  assert.ok(
    tree.problems.some((p) => p.code === 'PGC007' && p.message.includes('FIFO')),
    JSON.stringify(tree.problems),
  );
});
