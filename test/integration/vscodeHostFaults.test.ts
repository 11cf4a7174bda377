// Faults of the e2e rig's VS Code host (issue 7, "Bad input and faults"): code-server that fails to
// start is reported with its log's last lines, never waited on forever; stop() ends its whole
// process group and removes its dirs; dirs left by a killed run are swept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVscodeHostInstalled, startVscodeHost, sweepStaleHosts } from '../../scripts/lib/vscodeHost';
import { pidAlive } from '../../src/core/backup/tempFiles';

const skip = isVscodeHostInstalled() ? false : 'code-server is not installed (bash scripts/setup-vscode-host.sh)';

test('code-server failing to start: the error names why, with its log', { skip, timeout: 60_000 }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'pgdba-e2e-fault-'));
  const before = readdirSync(tmpdir()).filter((n) => n.startsWith('pgdba-vscode-'));
  try {
    // A preload that does not exist: node, and so code-server, dies before serving anything.
    const started = Date.now();
    await assert.rejects(startVscodeHost({ workspace, env: { NODE_OPTIONS: '--require=/nonexistent/pgdba-fault.js' }, readyTimeoutMs: 30_000 }), (e: Error) => {
      assert.match(e.message, /^code-server exited with \S+; the last lines of its log:/);
      assert.match(e.message, /Cannot find module '\/nonexistent\/pgdba-fault\.js'/);
      return true;
    });
    assert.ok(Date.now() - started < 20_000, 'a start that fails must fail fast, not wait for the timeout');
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith('pgdba-vscode-'));
    assert.deepEqual(
      after.filter((n) => !before.includes(n)),
      [],
      'the failed start left its temp dir behind',
    );
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('stop() ends code-server and its children, and removes its dirs', { skip, timeout: 90_000 }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'pgdba-e2e-fault-'));
  try {
    const host = await startVscodeHost({ workspace, settings: { 'pgdba.connections': [] } });
    const res = await fetch(`${host.url}/healthz`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
    assert.ok(existsSync(host.userDataDir));
    await host.stop();
    assert.equal(pidAlive(host.pid), false, `code-server ${host.pid} still runs after stop()`);
    assert.equal(existsSync(host.userDataDir), false, 'user-data-dir left behind');
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('dirs left by a killed run are swept; those of a live run are kept', { skip }, async () => {
  const dead = mkdtempSync(join(tmpdir(), 'pgdba-vscode-'));
  const live = mkdtempSync(join(tmpdir(), 'pgdba-vscode-'));
  // A process that has surely exited: its pid is free (or reused by one that is not code-server).
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  writeFileSync(join(dead, 'owner.json'), JSON.stringify({ pid: child.pid, serverPid: 0 }));
  mkdirSync(join(dead, 'user-data'));
  writeFileSync(join(live, 'owner.json'), JSON.stringify({ pid: process.pid, serverPid: 0 }));
  try {
    assert.ok(sweepStaleHosts() >= 1);
    assert.equal(existsSync(dead), false, "the dead run's dir is still there");
    assert.equal(existsSync(live), true, "a live run's dir was removed");
  } finally {
    rmSync(dead, { recursive: true, force: true });
    rmSync(live, { recursive: true, force: true });
  }
});
