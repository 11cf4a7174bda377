// `pgdba schedule` as a person runs it: the injection is refused with words and writes
// nothing; a plain run writes the four files, the service running pgdba itself.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCliBundle } from '../../support/cliBundle';
import { tempDir } from '../../support/tempDir';

const dir = tempDir('schedule-cli');
const CLI = join(dir, 'cli.js');
before(() => buildCliBundle(CLI));

function pgdba(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, 'schedule', ...args], { cwd: dir }, (e, out, err) => done({ code: e ? (e.code as number) : 0, out, err }));
  });
}

test('a database name with a newline and a unit section: exit 2, a clear error, no file written', async () => {
  const out = join(dir, 'hostile');
  const r = await pgdba('--db', 'nightly\n[Service]\nExecStartPre=+/bin/touch /tmp/pwned', '--out', out);
  assert.equal(r.code, 2);
  assert.match(r.err, /^pgdba schedule: the database name holds a control character \(U\+000A\).*rename it/);
  assert.equal(existsSync(out), false);
});

test('a plain run: four files; ExecStart runs pgdba with the values; TimeoutStartSec for an unknown size', async () => {
  const out = join(dir, 'plain');
  const r = await pgdba('--db', 'hotel %h', '--out', out, '--dir', '/srv/pg backups');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.split('\n').filter((l) => l.startsWith('wrote ')).length, 4);
  const service = readFileSync(join(out, 'postgresql-backup.service'), 'utf8');
  assert.ok(service.includes('\nExecStart=/usr/local/bin/pgdba backup --db "hotel %%h" --dir "/srv/pg backups" --keep 7 --verify quick\n'), service);
  assert.match(service, /^Description=PostgreSQL backup of hotel %%h \(pgdba\)$/m);
  assert.match(service, /^TimeoutStartSec=360min$/m);
});
