// The runner's temp guard on a folder of its own: what a rig leaves is listed and removed, what a
// live process still uses is listed with that process and kept, and a killed runner's folder is swept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRigTemp, sweepKilledRuns } from '../../scripts/lib/tempGuard';
import { tempDir } from '../support/tempDir';

test('a clean rig: the folder is gone, nothing listed; only the tsx cache link and owner file were there', (t) => {
  const root = tempDir('guard', t);
  const rig = openRigTemp(root);
  assert.deepEqual(readdirSync(rig.dir).sort(), ['owner.json', `tsx-${process.geteuid?.()}`].sort());
  const { left } = rig.close();
  assert.deepEqual(left, []);
  assert.ok(!existsSync(rig.dir));
});

test('leftovers: a free one is removed, one a live process uses is kept and names it; new pgdba-* beside it are noted', async (t) => {
  const root = tempDir('guard', t);
  const rig = openRigTemp(root);
  writeFileSync(join(rig.dir, 'pgdba-stray.txt'), 'x');
  const held = join(rig.dir, 'pgdba-held');
  mkdirSync(held);
  const child = spawn('sleep', ['60'], { cwd: held, stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  await new Promise((r) => child.once('spawn', r));
  writeFileSync(join(root, 'pgdba-outside'), 'x');
  const { left, outside } = rig.close();
  assert.deepEqual(left.map((l) => [l.name, l.what]).sort(), [
    ['pgdba-held', 'dir, 0 entries'],
    ['pgdba-stray.txt', '1 bytes'],
  ]);
  assert.deepEqual(left.find((l) => l.name === 'pgdba-stray.txt')?.heldBy, []);
  assert.match(left.find((l) => l.name === 'pgdba-held')?.heldBy.join() ?? '', new RegExp(`^${child.pid} sleep 60`));
  assert.deepEqual(outside, ['pgdba-outside']);
  assert.ok(!existsSync(join(rig.dir, 'pgdba-stray.txt')), 'the free leftover is removed');
  assert.ok(existsSync(held), 'the one in use stays');
});

test('the folder of a killed runner is swept; that of a live one is kept', (t) => {
  const root = tempDir('guard', t);
  const live = openRigTemp(root);
  const dead = openRigTemp(root);
  writeFileSync(join(dead.dir, 'owner.json'), JSON.stringify({ pid: 2 ** 22 + 1 })); // above pid_max: no such process
  writeFileSync(join(dead.dir, 'pgdba-left'), 'x');
  const deadName = dead.dir.slice(root.length + 1);
  assert.deepEqual(sweepKilledRuns(root), [deadName]);
  assert.ok(!existsSync(dead.dir));
  assert.ok(existsSync(live.dir));
});
