// The nightly job's last run as the health report and the tree read it: the status record's
// finding (succeeded, failed, cancelled, missing, corrupt), the generated schedule's next run, and
// the timer on a machine without systemd (this one: said so, not guessed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextNightlyRun } from '../../../../src/core/backup/schedule';
import { readRunStatus, resultOfError, runStatusFile, writeRunStatus, type BackupRunStatus } from '../../../../src/core/backup/runStatus';
import { readNightlyTimer } from '../../../../src/core/backup/nightlyTimer';
import { lastRunFinding } from '../../../../src/core/health/backupCheck';
import { CancelledError } from '../../../../src/core/pgtools/proc';
import { localHost } from '../../../../src/core/host/localHost';
import { tempDir } from '../../../support/tempDir';

const status = (over: Partial<BackupRunStatus>): BackupRunStatus => ({
  database: 'hotel',
  server: { host: 'db1', port: 5432 },
  startedAt: new Date(2026, 11, 1, 2, 0, 0).toISOString(),
  endedAt: new Date(2026, 11, 1, 2, 3, 30).toISOString(),
  result: 'succeeded',
  pid: 1,
  ...over,
});

test('the next run of the generated timer: 02:00 today before it, tomorrow from it on', () => {
  assert.equal(nextNightlyRun(new Date(2026, 11, 1, 1, 59)).getTime(), new Date(2026, 11, 1, 2, 0).getTime());
  assert.equal(nextNightlyRun(new Date(2026, 11, 1, 2, 0)).getTime(), new Date(2026, 11, 2, 2, 0).getTime());
  assert.equal(nextNightlyRun(new Date(2026, 11, 31, 23, 0)).getTime(), new Date(2027, 0, 1, 2, 0).getTime());
});

test('last run: ok when it succeeded, critical with the error and the command when it failed, warning when stopped', () => {
  const now = new Date(2026, 11, 1, 9, 0);
  const ok = lastRunFinding({ state: 'ok', status: status({ backup: 'hotel-2026-12-01_02-00-00.dump.zst' }) }, '/b', 'hotel', now);
  assert.equal(ok.level, 'ok');
  assert.match(ok.observed, /^succeeded 2026-12-01 02:03 in /);
  assert.match(ok.why, /made hotel-2026-12-01_02-00-00\.dump\.zst; next due 2026-12-02 02:00/);
  const failed = lastRunFinding(
    { state: 'ok', status: status({ result: 'failed', error: 'Database "hotel" does not exist on db1:5432.' }) },
    '/b',
    'hotel',
    now,
  );
  assert.equal(failed.level, 'critical');
  assert.match(failed.why, /The last run failed: Database "hotel" does not exist/);
  assert.equal(failed.fix?.text, 'pgdba backup --db hotel --dir /b --verify quick');
  const stopped = lastRunFinding({ state: 'ok', status: status({ result: 'cancelled', error: 'SIGTERM received: job cancelled' }) }, '/b', 'hotel', now);
  assert.equal(stopped.level, 'warning');
  assert.match(stopped.why, /was stopped: SIGTERM received/);
  assert.equal(lastRunFinding({ state: 'missing' }, '/b', 'hotel', now).level, 'info');
  assert.equal(lastRunFinding({ state: 'corrupt', problem: 'not JSON' }, '/b', 'hotel', now).level, 'warning');
});

test('a record is written whole and read back; a foreign file there is corrupt, not trusted', async (t) => {
  const dir = tempDir('runstatus', t);
  const path = await writeRunStatus(dir, status({ result: 'failed', error: 'x' }));
  assert.equal(path, join(dir, runStatusFile('hotel')));
  const read = await readRunStatus(dir, 'hotel');
  assert.equal(read.state === 'ok' && read.status.error, 'x');
  writeFileSync(path, '{"result": "succeeded"}');
  assert.equal((await readRunStatus(dir, 'hotel')).state, 'corrupt');
  writeFileSync(path, 'not json');
  assert.equal((await readRunStatus(dir, 'hotel')).state, 'corrupt');
  assert.equal((await readRunStatus(dir, 'other')).state, 'missing');
});

test("a cancel records the signal's words; any other error its first line", () => {
  const ac = new AbortController();
  ac.abort(new CancelledError('SIGTERM received: job'));
  assert.deepEqual(resultOfError(new CancelledError('backup'), ac.signal), { result: 'cancelled', error: 'SIGTERM received: job cancelled' });
  assert.deepEqual(resultOfError(new Error('pg_dump failed\nmore')), { result: 'failed', error: 'pg_dump failed' });
});

test(
  'the timer on a machine without systemd: said so, with where the last run is read instead',
  { skip: existsSync('/run/systemd/system') && 'this machine runs systemd' },
  async () => {
    const timer = await readNightlyTimer(localHost);
    assert.equal(timer.systemd, false);
    assert.match(timer.systemd ? '' : timer.note, /this machine does not run systemd \(no \/run\/systemd\/system\).*status record/);
  },
);
