// Each file is read and parsed once per lint (issue #11): a postgresql.conf linted with its
// pg_hba.conf and pgbouncer.ini, as the CLI lints them together and as the editor lints each open
// one with its neighbours. Reads are counted at the port; a postgresql.conf's include is read
// once per resolution of its include tree, so its count is the number of resolutions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintFileSet, type LintTarget } from '../../../../src/core/lint/lintFileSet';
import type { LintFiles } from '../../../../src/core/lint/lintFiles';
import type { ConfFileType } from '../../../../src/core/lint/lintLanguages';
import { SEED_HBA, SEED_PGBOUNCER, SEED_POSTGRESQL_CONF } from './lintSeeds';

const TEXTS = new Map([
  ['/etc/pg/postgresql.conf', `${SEED_POSTGRESQL_CONF}include 'tuning.conf'\n`],
  ['/etc/pg/tuning.conf', 'ssl = on\nmax_connections = 40\n'],
  ['/etc/pg/pg_hba.conf', `${SEED_HBA}host all all 0.0.0.0/0 scram-sha-256\nhostssl all all 10.0.0.0/8 scram-sha-256\n`],
  ['/etc/pg/pgbouncer.ini', SEED_PGBOUNCER],
]);
const PATH: Record<ConfFileType, string> = { conf: '/etc/pg/postgresql.conf', hba: '/etc/pg/pg_hba.conf', pgbouncer: '/etc/pg/pgbouncer.ini' };

/** A port over TEXTS that counts reads of each path (lint targets and neighbours, includes). */
function countingFiles(withNeighbours: boolean): { files: LintFiles; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const read = (path: string) => {
    reads.set(path, (reads.get(path) ?? 0) + 1);
    return TEXTS.get(path);
  };
  return {
    files: {
      read,
      includes: {
        readFile: read,
        listDir: () => undefined,
        stat: (path) => (TEXTS.has(path) ? { kind: 'file', size: TEXTS.get(path)?.length ?? 0 } : undefined),
      },
      ...(withNeighbours ? { neighbour: (_p: string, type: ConfFileType) => PATH[type] } : {}),
    },
    reads,
  };
}

const countsOf = (reads: Map<string, number>) => Object.fromEntries([...TEXTS.keys()].map((p) => [p.slice('/etc/pg/'.length), reads.get(p) ?? 0]));
const target = (type: ConfFileType): LintTarget => ({ path: PATH[type], type });

void test('the three files linted together (the CLI): each read and parsed once, includes resolved once', () => {
  const { files, reads } = countingFiles(false);
  const byFile = lintFileSet([target('hba'), target('conf'), target('pgbouncer')], files, { major: 16 });
  assert.deepEqual(countsOf(reads), { 'postgresql.conf': 1, 'tuning.conf': 1, 'pg_hba.conf': 1, 'pgbouncer.ini': 1 });
  // The one parse served every rule and fact: ssl = on (from the include) silences HBA015, the
  // open line reaches PGC401's check, max_connections 40 reaches pgbouncer's arithmetic.
  const codes = (p: string) => (byFile.get(p) ?? []).map((f) => f.code);
  assert.ok(!codes(PATH.hba).includes('HBA015'), codes(PATH.hba).join(' '));
  assert.ok(codes(PATH.hba).includes('HBA023'));
  assert.match(byFile.get(PATH.pgbouncer)?.find((f) => f.code === 'PGB021')?.message ?? '', /max_connections 40 .* from postgresql\.conf/);
  assert.ok(codes('/etc/pg/tuning.conf').includes('PGC301'), 'findings of the included file are listed under it');
});

void test('each open document linted with its neighbours (the editor): nothing read twice, nothing unneeded read', () => {
  const expected: Record<ConfFileType, Record<string, number>> = {
    conf: { 'postgresql.conf': 1, 'tuning.conf': 1, 'pg_hba.conf': 1, 'pgbouncer.ini': 0 },
    hba: { 'postgresql.conf': 1, 'tuning.conf': 1, 'pg_hba.conf': 1, 'pgbouncer.ini': 0 },
    pgbouncer: { 'postgresql.conf': 1, 'tuning.conf': 1, 'pg_hba.conf': 0, 'pgbouncer.ini': 1 },
  };
  for (const type of ['conf', 'hba', 'pgbouncer'] as const) {
    const { files, reads } = countingFiles(true);
    const byFile = lintFileSet([target(type)], files, { major: 16 });
    assert.deepEqual(countsOf(reads), expected[type], type);
    assert.deepEqual(
      [...byFile.keys()].filter((p) => p !== PATH[type] && p !== '/etc/pg/tuning.conf'),
      [],
      `${type}: only its own findings`,
    );
  }
});

void test('a neighbour feeds the rules as it does when given: the same findings for the target', () => {
  for (const type of ['conf', 'hba', 'pgbouncer'] as const) {
    const alone = lintFileSet([target(type)], countingFiles(true).files, { major: 16 }).get(PATH[type]);
    const together = lintFileSet([target('hba'), target('conf'), target('pgbouncer')], countingFiles(false).files, { major: 16 }).get(PATH[type]);
    assert.deepEqual(alone, together, type);
  }
});
