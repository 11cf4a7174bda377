// Replication (#15): an inactive slot is critical once it keeps as much WAL as the data
// directory's file system has free. The disk is real and small: a tmpfs mounted for this file
// (root only; skipped with the reason otherwise) holds the whole data directory of a server of
// PGDBA_TEST_MAJOR; a physical slot reserved at once and never read keeps every WAL segment
// switched to, until its WAL is larger than what is left. Unmounted whatever happens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPgServer, type PgServer } from '../../scripts/lib/pgServer';
import { testMajor } from '../support/testServer';
import { createPool } from '../../src/core/db/pool';
import { runHealthCheck, type Finding } from '../../src/core/health';
import type pg from 'pg';

/** Room for initdb's ~40 MB and a few 16 MB segments, never so little that the server stops (it PANICs on a full pg_wal). */
const DISK_BYTES = 192 * 2 ** 20;
const SEGMENT = 16 * 2 ** 20;

const free = (dir: string) => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

test('replication: an inactive slot keeping as much WAL as the disk has free is critical, with both figures', async (t) => {
  const held: { server?: PgServer; pool?: pg.Pool } = {};
  let mounted = false;
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-slot-disk-'));
  // In this order: the server off the disk, the disk unmounted, its mount point removed.
  t.after(async () => {
    await held.pool?.end().catch(() => undefined);
    await held.server?.stop().catch(() => undefined);
    if (mounted) execFileSync('umount', ['--', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES},mode=1777`, 'tmpfs', dir], { stdio: 'pipe' });
    mounted = true;
  } catch (e) {
    const reason = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    console.log(`skipped: a small disk is a tmpfs mounted for the test, and mount was refused here (${reason}); run as root to test it`);
    return t.skip(`mount refused: ${reason}`);
  }
  // min_wal_size at its least: no segment recycled ahead of need eats the disk before the slot does.
  const server = (held.server = await startPgServer({
    major: testMajor(),
    fast: true,
    dataDir: dir,
    settings: { min_wal_size: '32MB', max_wal_size: '64MB' },
  }));
  const u = new URL(server.url);
  const p = (held.pool = createPool(
    { name: 'disk', host: u.hostname, port: server.port, database: server.database, user: server.user, password: server.password },
    { statementTimeoutMs: 60_000 },
  ));
  const check = async (): Promise<Finding | undefined> => {
    const r = await runHealthCheck({ server: { name: 'disk', target: 'x' }, pool: p, host: '127.0.0.1', schedules: ['daily'] });
    return r.findings.find((f) => f.check === 'replication' && f.subject === 'slot pgdba_disk_slot');
  };
  const retained = async () =>
    Number(
      (
        await p.query<{ b: string }>(
          "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS b FROM pg_replication_slots WHERE slot_name = 'pgdba_disk_slot'",
        )
      ).rows[0]!.b,
    );

  await p.query("SELECT pg_create_physical_replication_slot('pgdba_disk_slot', true)");
  await p.query('CREATE TABLE wal_maker (x int)');
  const early = await check();
  assert.equal(early?.level, 'warning', 'a slot keeping little against a roomy disk is a warning, not yet critical');
  assert.match(early.observed, /the data directory's disk has [\d.]+ MB free$/);

  // One segment a round: a row, then the switch to the next file; the checkpoint removes what no slot keeps.
  let rounds = 0;
  while ((await retained()) < free(dir)) {
    assert.ok(free(dir) > 2 * SEGMENT, `the disk nearly full (${free(dir)} bytes free) before the slot kept that much: the rig's sizes are wrong`);
    assert.ok(++rounds <= 12, 'twelve segments switched and the slot still keeps less than the free space');
    await p.query('INSERT INTO wal_maker VALUES (1)');
    await p.query('SELECT pg_switch_wal()');
    await p.query('CHECKPOINT');
  }
  const kept = await retained();
  const freeNow = free(dir);
  t.diagnostic(`${rounds} segments switched: the slot keeps ${kept} bytes of WAL, the disk has ${freeNow} free`);

  const slot = await check();
  assert.equal(slot?.level, 'critical', JSON.stringify(slot));
  assert.equal(slot.value, kept, "the figure is the slot's retained WAL");
  const m = /keeps ([\d.]+) MB of WAL; the data directory's disk has ([\d.]+) MB free \(the slot keeps (\d+)% of that again\)$/.exec(slot.observed);
  assert.ok(m, slot.observed);
  assert.ok(Math.abs(Number(m[1]) - kept / 2 ** 20) < 1, `retained ${m[1]} MB against ${kept} bytes`);
  assert.ok(Math.abs(Number(m[2]) - freeNow / 2 ** 20) < 17, `free ${m[2]} MB against ${freeNow} bytes (a segment's difference at most)`);
  assert.ok(Number(m[3]) >= 100, `${m[3]}% of the free space`);
  assert.match(slot.why, /the disk fills until the server stops/);
  assert.match(slot.fix?.text ?? '', /^SELECT pg_drop_replication_slot\('pgdba_disk_slot'\);/);

  // Its fix, and the checkpoint after it, give the disk back.
  await p.query(slot.fix!.text.split('\n')[0]!);
  await p.query('CHECKPOINT');
  assert.equal(await check(), undefined, 'the slot is gone from the report');
  assert.ok(free(dir) > freeNow, `the WAL was removed (${free(dir)} bytes free, ${freeNow} before)`);
});
