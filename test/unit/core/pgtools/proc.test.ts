// A child's stderr as messages read it: the first error lines survive a long detail after them
// (pg_dump prints the whole failed query, 30 lines and more, after "error: query failed").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { killAll, startChild, whenAborted } from '../../../../src/core/pgtools/proc';
import { readFileSync } from 'node:fs';
import { toolFailure } from '../../../../src/core/backup/errors';

const QUERY = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'pg_dump: detail: Query was: SELECT c.tableoid, c.oid, c.relname,' : `  column_${i},`)).join(
  '\n',
);

test("a failed query's error line is kept when the query text after it is longer than the tail", async () => {
  const stderr = `pg_dump: error: query failed: FATAL:  terminating connection due to administrator command\nserver closed the connection unexpectedly\n${QUERY}\nWHERE c.relkind IN ('r', 'S', 'v')\nORDER BY c.oid\n`;
  const c = startChild('pg_dump', 'sh', ['-c', 'printf "%s" "$0" >&2; exit 1', stderr], {});
  const code = await c.done;
  assert.equal(code, 1);
  const msg = toolFailure('pg_dump', code, c.stderrTail());
  assert.match(msg, /^pg_dump failed \(exit 1\): query failed: FATAL: {2}terminating connection/);
  assert.ok(!msg.includes('ORDER BY'), msg);
  assert.ok(c.stderrTail().endsWith('ORDER BY c.oid'), 'the tail is still there');
});

test('a tool with no error line is described by its last lines, as before', async () => {
  const c = startChild('zstd', 'sh', ['-c', 'printf "one\\ntwo\\nthree\\n" >&2; exit 2'], {});
  assert.equal(toolFailure('zstd', await c.done, c.stderrTail()), 'zstd failed (exit 2): two; three');
});

/** The process state letter from /proc (S sleeping, Z dead but not reaped), or gone. */
function stateOf(pid: number): string {
  try {
    return /\) (\w)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? '?';
  } catch {
    return 'gone';
  }
}

test('killAll ends the forked workers too (pg_restore -j): done resolves and no worker lives on', async () => {
  // The worker inherits stderr, as pg_restore's do: were it left, 'close' would never come.
  const c = startChild('pg_restore', 'sh', ['-c', 'sleep 600 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const worker = await new Promise<number>((resolve) => c.proc.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim()))));
  try {
    assert.ok(!['gone', 'Z'].includes(stateOf(worker)), 'the worker runs');
  } finally {
    killAll([c]);
  }
  assert.equal(await c.done, 137);
  assert.ok(['gone', 'Z'].includes(stateOf(worker)), `worker ${worker} still runs`); // dead, perhaps not reaped yet
});

test('whenAborted: an abort that came before the listener still runs the clean-up, at once', () => {
  const ac = new AbortController();
  ac.abort();
  let ran = 0;
  whenAborted(ac.signal, () => ran++)();
  assert.equal(ran, 1);
  const later = new AbortController();
  const remove = whenAborted(later.signal, () => ran++);
  remove();
  later.abort();
  assert.equal(ran, 1, 'removed before the abort');
});
