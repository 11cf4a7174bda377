// The integration rig's own faults: an unreachable PGDBA_TEST_URL, a run killed mid-way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { checkReachable } from '../support/testServer';
import { freePort, sweepStaleClusters } from '../../scripts/lib/pgServer';

test('an unreachable PGDBA_TEST_URL fails fast with one line naming it, password masked', { timeout: 15_000 }, async () => {
  const port = await freePort(); // nothing listens there
  const url = `postgres://admin:hunter2@127.0.0.1:${port}/hotel`;
  await assert.rejects(checkReachable(url, 2000), (e: Error) => {
    assert.match(e.message, new RegExp(`^PGDBA_TEST_URL postgres://admin:\\*\\*\\*@127\\.0\\.0\\.1:${port}/hotel is unreachable: `));
    assert.ok(!e.message.includes('hunter2'), 'password must not appear');
    assert.ok(!e.message.includes('\n'), 'one line');
    return true;
  });
});

test('a cluster left by a killed run is stopped and removed by the next run', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'support', 'startAndHang.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolveLine, reject) => {
    createInterface({ input: child.stdout }).once('line', resolveLine);
    child.once('exit', (c) => reject(new Error(`child exited ${c}`)));
  });
  const { dataDir } = JSON.parse(line) as { dataDir: string };
  const pmPid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  child.kill('SIGKILL'); // no chance to clean up
  await new Promise((r) => child.once('exit', r));
  assert.ok(existsSync(dataDir), 'the killed run left its cluster behind');
  assert.ok(sweepStaleClusters() >= 1);
  assert.ok(!existsSync(dirname(dataDir)), 'the stale cluster directory is gone');
  // The postmaster got SIGQUIT: wait for it to go.
  const deadline = Date.now() + 10_000;
  let alive = true;
  while (alive && Date.now() < deadline) {
    try {
      process.kill(pmPid, 0);
      await new Promise((r) => setTimeout(r, 100));
    } catch {
      alive = false;
    }
  }
  assert.equal(alive, false, 'the stale postmaster was stopped');
});
