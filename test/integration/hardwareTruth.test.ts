// PGC200 against a real server: every recommendation's fix, applied to the file, removes its
// finding (linted again) and is a value PostgreSQL accepts (pg_file_settings through the probe),
// and so is the tuned block. PGDBA_TEST_MAJOR picks the major (default 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probedServer } from '../support/probedServer';
import { everyRecommendation } from '../support/hardwareCases';
import { tunedBlock } from '../../src/core/lint/confHardwareRules';
import { describeProfile, type HardwareProfile } from '../../src/core/lint/hardware';

const GB = 2 ** 30;
const rig = probedServer();

/** The seed's server, a warehouse, a desktop and a mixed SAN server, on the server's major. */
function profiles(major: number): HardwareProfile[] {
  return [
    { ramBytes: 4 * GB, cpus: 4, storage: 'ssd', workload: 'web', maxConnections: 100, pgVersion: major },
    { ramBytes: 64 * GB, cpus: 16, storage: 'hdd', workload: 'dw', pgVersion: major },
    { ramBytes: GB, cpus: 1, storage: 'ssd', workload: 'desktop', maxConnections: 20, pgVersion: major },
    { ramBytes: 8 * GB, cpus: 8, storage: 'san', workload: 'mixed', maxConnections: 200, pgVersion: major },
  ];
}

test('each recommendation, applied: its finding is gone and the server accepts the value', async (t) => {
  const { srv, probe } = rig;
  if (!probe) return t.skip('needs a server this run started (PGDBA_TEST_URL gives no data directory)');
  const cases = everyRecommendation(profiles(srv.major));
  assert.ok(cases.length > 40);
  for (const c of cases) {
    const what = `${c.rec.name} for ${describeProfile(c.profile)} on ${srv.major}`;
    assert.equal(c.found.length, 1, `${c.before}: a finding on ${what}`);
    assert.deepEqual(c.left, [], `${c.after}: no finding left on ${what}`);
    const rows = await probe.check(c.after);
    assert.deepEqual(
      rows.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`),
      [],
      `${c.after}: accepted (${what})`,
    );
    assert.ok(rows.some((r) => r.name === c.rec.name) || c.rec.name === 'shared_buffers', `${what} was checked`);
  }
});

test('the tuned block of each profile is accepted line by line', async (t) => {
  const { srv, probe } = rig;
  if (!probe) return t.skip('needs a server this run started (PGDBA_TEST_URL gives no data directory)');
  for (const p of profiles(srv.major)) {
    const block = tunedBlock(p);
    const rows = await probe.check(block);
    assert.ok(rows.length >= 10, describeProfile(p));
    assert.deepEqual(
      rows.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`),
      [],
      block,
    );
  }
});
