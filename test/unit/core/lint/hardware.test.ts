import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintPostgresqlConf } from '../../../../src/core/lint/postgresqlConf';
import { fixAllRecommendations, tunedBlock, HARDWARE_CODE } from '../../../../src/core/lint/confHardwareRules';
import { describeProfile, detectHardware, recommend, type HardwareProfile } from '../../../../src/core/lint/hardware';
import type { Finding } from '../../../../src/core/lint/finding';
import { SEED_POSTGRESQL_CONF } from './lintSeeds';
import { applyFixes, everyRecommendation } from '../../../support/hardwareCases';

const GB = 2 ** 30;
/** The seed's server: PostgreSQL 16, 4 cores, 4 GB RAM, SSD, a web application, 100 connections. */
const SEED: HardwareProfile = { ramBytes: 4 * GB, cpus: 4, storage: 'ssd', workload: 'web', maxConnections: 100, pgVersion: 16 };

/** The file as the seed shows it, after its tuning (seed/postgresql-configuration.md). */
const SEED_TUNED = SEED_POSTGRESQL_CONF;

/** The same server before tuning: the "Current Value" column of the seed's Performance Tuning table. */
const SEED_UNTUNED = `# Memory Configuration
shared_buffers = 128MB                # min 128kB
work_mem = 4MB                        # min 64kB
maintenance_work_mem = 64MB           # min 1MB
effective_cache_size = 4GB

max_connections = 100
listen_addresses = '*'

checkpoint_timeout = 5min             # range 30s-1d
max_wal_size = 1GB
min_wal_size = 80MB

random_page_cost = 4.0                # same scale as above
effective_io_concurrency = 1          # 1-1000; 0 disables prefetching
`;

function hardware(text: string, profile = SEED): Finding[] {
  return lintPostgresqlConf(text, { file: 'postgresql.conf', major: 16, hardware: profile }).filter((f) => f.code === HARDWARE_CODE);
}

test('the seed file before tuning: exactly the six problems the seed found, each with a fix', () => {
  const found = hardware(SEED_UNTUNED);
  assert.deepEqual(
    found.map((f) => [f.line, f.message.split(/[ =(]/)[0], f.fix?.newText]),
    [
      [2, 'shared_buffers', '1GB'],
      [3, 'work_mem', '10082kB'],
      [4, 'maintenance_work_mem', '256MB'],
      [5, 'effective_cache_size', '3GB'],
      [14, 'random_page_cost', '1.1'],
      [15, 'effective_io_concurrency', '200'],
    ],
  );
  for (const f of found) {
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /for 4 GB RAM, 4 CPUs, SSD, web/);
  }
  assert.match(found[3]?.message ?? '', /claims all of the RAM/);
  // The fix replaces only the value token: the comment stays.
  const fixed = applyFixes(SEED_UNTUNED, fixAllRecommendations(found));
  assert.match(fixed, /^shared_buffers = 1GB +# min 128kB$/m);
  assert.match(fixed, /^random_page_cost = 1\.1 +# same scale as above$/m);
  assert.deepEqual(hardware(fixed), [], 'after "fix all", nothing is left');
});

test('the seed file after tuning: no hardware finding, and no other warning than the true ones', () => {
  assert.deepEqual(
    hardware(SEED_TUNED).map((f) => f.message),
    [],
  );
  const all = lintPostgresqlConf(SEED_TUNED, { file: 'postgresql.conf', major: 16, hardware: SEED });
  assert.deepEqual(
    all.filter((f) => f.severity !== 'info').map((f) => [f.line, f.code]),
    [[9, 'PGC403']],
    'ssl is off (default) while listening on *',
  );
  assert.equal(all.filter((f) => f.severity === 'error').length, 0);
  // With the seed's pg_hba.conf (no line open to the world) listen_addresses = '*' is no finding.
  const withHba = lintPostgresqlConf(SEED_TUNED + 'ssl = on\n', { file: 'postgresql.conf', major: 16, hardware: SEED, hbaOpenToWorld: [] });
  assert.deepEqual(
    withHba.filter((f) => f.severity !== 'info'),
    [],
  );
});

test('a meaningful factor only: 1000MB against 1GB is never a finding', () => {
  assert.deepEqual(
    hardware(
      'shared_buffers = 1000MB\nwork_mem = 8MB\neffective_cache_size = 3000MB\nmaintenance_work_mem = 200MB\nrandom_page_cost = 1.5\neffective_io_concurrency = 150\n',
    ),
    [],
  );
  assert.equal(hardware('shared_buffers = 600MB\n').filter((f) => f.message.startsWith('shared_buffers')).length, 1);
});

test('unset parameters are judged at their default, on their commented-out line when there is one', () => {
  const f = hardware('#random_page_cost = 4.0\t\t# same scale as above\nshared_buffers = 1GB\n');
  const rpc = f.find((x) => x.message.startsWith('random_page_cost'));
  assert.equal(rpc?.line, 1);
  assert.deepEqual(rpc?.fix, {
    title: 'Set random_page_cost = 1.1',
    range: { line: 1, column: 1, endLine: 1, endColumn: 24 },
    newText: 'random_page_cost = 1.1',
  });
  assert.match(rpc?.message ?? '', /not set: default 4/);
  const eic = f.find((x) => x.message.startsWith('effective_io_concurrency'));
  assert.equal(eic?.fix?.range.line, 3, 'no commented line: appended at the end');
});

test('recommendations follow the profile: HDD, desktop, DW, many CPUs, PostgreSQL 13', () => {
  const rec = (p: Partial<HardwareProfile>) => Object.fromEntries(recommend({ ...SEED, ...p }, 100).map((r) => [r.name, r.text]));
  assert.deepEqual([rec({}).shared_buffers, rec({}).effective_cache_size, rec({}).maintenance_work_mem, rec({}).work_mem], ['1GB', '3GB', '256MB', '10082kB']);
  assert.deepEqual([rec({ storage: 'hdd' }).random_page_cost, rec({ storage: 'hdd' }).effective_io_concurrency], ['4', '2']);
  assert.equal(rec({ workload: 'desktop' }).shared_buffers, '256MB');
  assert.equal(rec({ ramBytes: 64 * GB, pgVersion: 17 }).maintenance_work_mem, '2GB', 'capped at 2 GB');
  assert.equal(rec({ ramBytes: 64 * GB }).maintenance_work_mem, '1GB', 'before 17 VACUUM uses at most 1 GB');
  assert.equal(rec({ cpus: 16 }).max_parallel_workers_per_gather, '4');
  assert.equal(rec({ cpus: 16, workload: 'dw' }).max_parallel_workers_per_gather, '8');
  assert.equal(rec({ cpus: 2 }).max_worker_processes, undefined, 'no parallel advice below 4 CPUs');
  assert.equal(hardware('random_page_cost = 4', { ...SEED, storage: 'hdd' }).filter((f) => f.message.startsWith('random_page_cost')).length, 0);
  assert.equal(hardware('effective_io_concurrency = 1', { ...SEED, storage: 'hdd' }).filter((f) => f.message.startsWith('effective_io')).length, 0);
  assert.equal(hardware('max_worker_processes = 8', { ...SEED, cpus: 32 }).filter((f) => f.message.startsWith('max_worker')).length, 1);
  const pg13 = lintPostgresqlConf('', { file: 'postgresql.conf', major: 13, hardware: { ...SEED, pgVersion: 13 } });
  assert.ok(pg13.some((f) => f.message.startsWith('checkpoint_completion_target (not set: default 0.5)')));
});

test('the tuned block for a profile lints clean against that profile', () => {
  const block = tunedBlock(SEED);
  assert.match(block, /^# pgdba: tuned for 4 GB RAM, 4 CPUs, SSD, web, 100 connections, PostgreSQL 16$/m);
  assert.match(block, /^shared_buffers = 1GB +# /m);
  const findings = lintPostgresqlConf(block, { file: 'postgresql.conf', major: 16, hardware: SEED });
  assert.deepEqual(
    findings.filter((f) => f.severity !== 'info').map((f) => f.message),
    [],
  );
  for (const profile of [
    { ...SEED, ramBytes: 64 * GB, cpus: 16, workload: 'dw' as const, storage: 'hdd' as const },
    { ...SEED, ramBytes: GB, cpus: 1, workload: 'desktop' as const },
  ]) {
    const b = tunedBlock(profile);
    assert.deepEqual(
      lintPostgresqlConf(b, { file: 'p', major: 16, hardware: profile })
        .filter((f) => f.severity !== 'info')
        .map((f) => f.message),
      [],
      describeProfile(profile),
    );
  }
});

test('this machine is detected', () => {
  const p = detectHardware({ workload: 'web' });
  assert.ok(p.ramBytes > 0 && p.cpus >= 1);
  assert.ok(['ssd', 'hdd', 'san'].includes(p.storage));
  assert.match(describeProfile(p), /RAM, \d+ CPUs?, (SSD|HDD|SAN), web/);
});

/**
 * PGTune's current formulas (le0pard/pgtune, configurationSlice.js), worked out by hand for four
 * profiles, beside pgdba's. The rows where they differ are the ones docs/lint-rules.md explains.
 */
const PGTUNE: { profile: HardwareProfile; connections: number; rows: [name: string, pgtune: string, pgdba: string][] }[] = [
  {
    // the seed: (4096 − 1024) MB / ((100 + 4) × 3) = 10082 kB; 3% of 1 GB > 16 MB → 16MB
    profile: SEED,
    connections: 100,
    rows: [
      ['shared_buffers', '1GB', '1GB'],
      ['effective_cache_size', '3GB', '3GB'],
      ['maintenance_work_mem', '256MB', '256MB'],
      ['work_mem', '10082kB', '10082kB'],
      ['wal_buffers', '16MB', '-1'],
      ['random_page_cost', '1.1', '1.1'],
      ['effective_io_concurrency', '200', '200'],
      ['checkpoint_completion_target', '0.9', '0.9'],
      ['max_wal_size', '4GB', '2GB'],
      ['max_worker_processes', '4', '4'],
      ['max_parallel_workers', '4', '4'],
      ['max_parallel_workers_per_gather', '2', '2'],
      ['max_parallel_maintenance_workers', '2', '2'],
      ['default_statistics_target', '100', '100'],
    ],
  },
  {
    // a warehouse on 16: 64 GB / 8 = 8 GB → PGTune's 2 GB cap, pgdba's 1 GB before 17;
    // (64 − 16) GB / ((100 + 16) × 3) / 2 = 72315 kB
    profile: { ramBytes: 64 * GB, cpus: 16, storage: 'hdd', workload: 'dw', pgVersion: 16 },
    connections: 100,
    rows: [
      ['shared_buffers', '16GB', '16GB'],
      ['effective_cache_size', '48GB', '48GB'],
      ['maintenance_work_mem', '2GB', '1GB'],
      ['work_mem', '72315kB', '72315kB'],
      ['random_page_cost', '4', '4'],
      ['effective_io_concurrency', '2', '2'],
      ['max_wal_size', '16GB', '16GB'],
      ['max_parallel_workers_per_gather', '8', '8'],
      ['max_parallel_maintenance_workers', '4', '4'],
      ['default_statistics_target', '500', '500'],
    ],
  },
  {
    profile: { ramBytes: 64 * GB, cpus: 16, storage: 'hdd', workload: 'dw', pgVersion: 17 },
    connections: 100,
    rows: [['maintenance_work_mem', '2GB', '2GB']],
  },
  {
    // a desktop, 1 CPU: no parallel settings, 8 worker processes assumed; (1024 − 64) MB / ((20 + 8) × 3) / 6 = 1950 kB
    profile: { ramBytes: GB, cpus: 1, storage: 'ssd', workload: 'desktop', pgVersion: 13 },
    connections: 20,
    rows: [
      ['shared_buffers', '64MB', '64MB'],
      ['effective_cache_size', '256MB', '256MB'],
      ['maintenance_work_mem', '64MB', '64MB'],
      ['work_mem', '1950kB', '1950kB'],
      ['wal_buffers', '1966kB', '-1'],
      ['max_wal_size', '2GB', '1GB'],
    ],
  },
  {
    // mixed on a SAN: (8 − 2) GB / ((200 + 8) × 3) / 2 = 5041 kB
    profile: { ramBytes: 8 * GB, cpus: 8, storage: 'san', workload: 'mixed', pgVersion: 17 },
    connections: 200,
    rows: [
      ['shared_buffers', '2GB', '2GB'],
      ['maintenance_work_mem', '512MB', '512MB'],
      ['work_mem', '5041kB', '5041kB'],
      ['random_page_cost', '1.1', '1.1'],
      ['effective_io_concurrency', '300', '300'],
      ['max_wal_size', '4GB', '4GB'],
      ['max_parallel_workers_per_gather', '4', '4'],
    ],
  },
];

test('PGTune beside pgdba: the same figures except wal_buffers (-1), max_wal_size (web, desktop) and maintenance_work_mem before 17', () => {
  const differ: string[] = [];
  for (const { profile, connections, rows } of PGTUNE) {
    const got = Object.fromEntries(recommend(profile, connections).map((r) => [r.name, r.text]));
    for (const [name, pgtune, pgdba] of rows) {
      assert.equal(got[name], pgdba, `${name} for ${describeProfile(profile)}, PostgreSQL ${profile.pgVersion}`);
      if (pgtune !== pgdba) differ.push(`${name} ${profile.workload} ${profile.pgVersion}`);
    }
  }
  assert.deepEqual(differ, ['wal_buffers web 16', 'max_wal_size web 16', 'maintenance_work_mem dw 16', 'wal_buffers desktop 13', 'max_wal_size desktop 13']);
});

test('every hardware recommendation, applied, removes its own finding', () => {
  const profiles: HardwareProfile[] = [SEED, ...PGTUNE.map((p) => p.profile), { ...SEED, pgVersion: 18 }];
  const cases = everyRecommendation(profiles);
  for (const c of cases) assert.equal(c.found.length, 1, `${c.before} gives a finding on ${c.rec.name} for ${describeProfile(c.profile)}`);
  assert.ok(cases.length > 50);
  for (const c of cases) assert.deepEqual(c.left, [], `${c.after} still gives ${c.left[0]?.message}`);
});

test('wal_buffers: unset or -1 it follows shared_buffers, so only shared_buffers is advised; set below what -1 gives, -1', () => {
  const msgs = (text: string, rv?: Record<string, string>) =>
    lintPostgresqlConf(text, { file: 'p', major: 16, hardware: SEED, runningValues: rv })
      .filter((f) => f.code === HARDWARE_CODE)
      .map((f) => f.message.split(' ')[0]);
  // A connected server reports the -1 it computed (4MB from 128MB): still no wal_buffers advice.
  assert.deepEqual(msgs('shared_buffers = 128MB\nwork_mem = 8MB\n', { wal_buffers: '512' }).includes('wal_buffers'), false);
  assert.ok(msgs('shared_buffers = 128MB\n').includes('shared_buffers'));
  assert.deepEqual(msgs('wal_buffers = -1\nshared_buffers = 1GB\n').includes('wal_buffers'), false);
  // 4MB is what -1 gives with 128MB of shared_buffers: setting -1 would change nothing.
  assert.deepEqual(msgs('wal_buffers = 4MB\n').includes('wal_buffers'), false);
  const set = lintPostgresqlConf('shared_buffers = 1GB\nwal_buffers = 1MB\n', { file: 'p', major: 16, hardware: SEED }).find((f) =>
    f.message.startsWith('wal_buffers'),
  );
  assert.match(set?.message ?? '', /^wal_buffers = 1MB is too low .* set -1 \(auto\)/);
  assert.equal(set?.fix?.newText, '-1');
});
