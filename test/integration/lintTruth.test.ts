// Truth from the server: for hundreds of generated settings the linter's verdict (error or not)
// must equal PostgreSQL's own, read from pg_file_settings after the lines are written to a file
// the test cluster's postgresql.conf includes. PGDBA_TEST_MAJOR picks the major (default 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from '../support/testServer';
import { probedServer } from '../support/probedServer';
import { lintPostgresqlConf } from '../../src/core/lint/postgresqlConf';
import { lookup } from '../../src/core/catalog/catalog';
import { caseLine, hookCases, RAW_LINES, valueCases, type ValueCase } from '../support/confCases';

/**
 * Codes that stand for "the server rejects this line" (not contradictions between lines). PGC027
 * (a warning: not a built-in name) counts too, since the probe's database has only built-in ones.
 */
const REJECTING = new Set(['PGC001', 'PGC002', 'PGC005', 'PGC010', 'PGC011', 'PGC020', 'PGC021', 'PGC022', 'PGC023', 'PGC024', 'PGC025', 'PGC026', 'PGC027']);
/** "Depends on the server machine" (locales): the linter says so; this machine's answer proves nothing. */
const MACHINE_DEPENDENT = 'PGC028';

/**
 * Parameters whose check hooks depend on things a file linter cannot see, each with its reason.
 * Internal parameters are tested apart: pg_file_settings checks in SIGHUP context, where they pass,
 * while the server refuses them at startup (the linter follows startup).
 */
const EXCLUDED = new Map<string, string>([
  ['bonjour', 'rejected when the build lacks Bonjour support'],
  ['max_stack_depth', 'limited by the OS stack rlimit of the server process'],
  ['transaction_isolation', 'check hook depends on the checking session being inside a transaction'],
  ['transaction_deferrable', 'check hook depends on the checking session being inside a transaction'],
  ['transaction_read_only', 'check hook depends on the checking session being inside a transaction'],
  ...[
    'commit_timestamp_buffers',
    'multixact_member_buffers',
    'multixact_offset_buffers',
    'notify_buffers',
    'serializable_buffers',
    'subtransaction_buffers',
    'transaction_buffers',
  ].map((n) => [n, 'SLRU buffers (17+): check hook wants a multiple of the 16-buffer bank size'] as [string, string]),
  ['vacuum_buffer_usage_limit', 'check hook allows 0 or 128 kB .. 16 GB, a hole pg_settings does not show'],
]);

const BACKEND_COUNTS = new Set(['max_connections', 'autovacuum_max_workers', 'autovacuum_worker_slots', 'max_worker_processes', 'max_wal_senders']);

const rig = probedServer();

/** Reads the configuration as the server does at startup (postgres -C), while the cluster runs. */
function startupFails(t: TestServer): { failed: boolean; stderr: string } {
  const server = t.server;
  if (!server) return { failed: false, stderr: '' };
  const owner = statSync(server.dataDir);
  const r = spawnSync(join(server.binDir, 'bin', 'postgres'), ['-D', server.dataDir, '-C', 'work_mem'], {
    encoding: 'utf8',
    ...(userInfo().uid === 0 ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  return { failed: r.status !== 0, stderr: r.stderr };
}

function linterRejects(text: string, major: number, path: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const f of lintPostgresqlConf(text, { file: path, major })) {
    const counts = (f.severity === 'error' || f.code === 'PGC027') && REJECTING.has(f.code);
    if ((counts || f.code === MACHINE_DEPENDENT) && !out.has(f.line)) out.set(f.line, `${f.code} ${f.message}`);
  }
  return out;
}

test('the linter rejects exactly the settings PostgreSQL rejects', async (t) => {
  const { srv, probe } = rig;
  if (!probe) return t.skip('needs a server this run started (PGDBA_TEST_URL gives no data directory)');
  const cases = valueCases(srv.major).filter((c) => !EXCLUDED.has(c.name) && lookup(c.name, srv.major)?.context !== 'internal');
  // One case per parameter per round: the server validates only the last line of a name.
  const queues = new Map<string, ValueCase[]>();
  for (const c of cases) queues.set(c.name.toLowerCase(), [...(queues.get(c.name.toLowerCase()) ?? []), c]);
  // The server checks these against the running values of each other (their sum is capped), so
  // each goes alone in its own round.
  const alone = [...BACKEND_COUNTS].flatMap((n) => queues.get(n) ?? []);
  for (const n of BACKEND_COUNTS) queues.delete(n);
  const rounds: ValueCase[][] = alone.map((c) => [c]);
  for (;;) {
    const round: ValueCase[] = [];
    for (const q of queues.values()) {
      const c = q.shift();
      if (c) round.push(c);
    }
    if (round.length === 0) break;
    rounds.push(round);
  }
  const mismatches: string[] = [];
  let rejected = 0;
  let accepted = 0;
  let startupOnly = 0;
  for (const round of rounds) {
    const text = round.map(caseLine).join('\n') + '\n';
    const server = await probe.check(text);
    const mine = linterRejects(text, srv.major, probe.path);
    // Some limits (the backend count since 17) are checked only at startup, not by pg_file_settings.
    const startupRejects = () => startupFails(srv).failed;
    round.forEach((c, i) => {
      const line = i + 1;
      const row = server.find((r) => r.line === line);
      const serverRejects = row?.error != null;
      if (serverRejects) rejected++;
      else accepted++;
      const linter = mine.get(line);
      // PostgreSQL 18 dropped the check hooks that capped the backend count; the cap stays in
      // InitializeMaxBackends at postmaster start, which neither pg_file_settings nor -C reaches.
      if (!serverRejects && linter?.startsWith('PGC025') && srv.major >= 18) {
        startupOnly++;
        return;
      }
      if (serverRejects !== (linter !== undefined) && !(linter && round.length === 1 && startupRejects())) {
        mismatches.push(`${caseLine(c)}: server ${serverRejects ? `rejects (${row?.error})` : 'accepts'}, linter ${linter ?? 'accepts'}`);
      }
    });
  }
  console.log(
    `PostgreSQL ${srv.major}: ${cases.length} settings, server rejects ${rejected}, accepts ${accepted}; ${mismatches.length} disagreements, ${startupOnly} startup-only limits`,
  );
  assert.ok(cases.length >= 300, `several hundred cases (${cases.length})`);
  assert.deepEqual(mismatches, []);
});

test('names the check hooks look up: the linter refuses what PostgreSQL refuses', async (t) => {
  const { srv, probe } = rig;
  if (!probe) return t.skip('needs a server this run started');
  const cases = hookCases(srv.major);
  const mismatches: string[] = [];
  let rejected = 0;
  let machine = 0;
  let undecided = 0;
  // One line per round: the server validates only the last line of a name, and up to 15 a
  // malformed text search configuration fails the whole pg_file_settings query.
  for (const c of cases) {
    const text = caseLine(c) + '\n';
    let error: string | null;
    try {
      error = (await probe.check(text))[0]?.error ?? null;
    } catch (e) {
      error = `the query fails: ${(e as Error).message}`;
    }
    if (error !== null) rejected++;
    const linter = linterRejects(text, srv.major, probe.path).get(1);
    if (c.undecided) {
      // Left to the server by design: whatever it says, never a false error from pgdba.
      undecided++;
      if (linter !== undefined) mismatches.push(`${caseLine(c)}: left to the server (${c.undecided}), yet the linter says ${linter}`);
      continue;
    }
    if (linter?.startsWith(MACHINE_DEPENDENT)) {
      machine++;
      continue;
    }
    if ((error !== null) !== (linter !== undefined)) {
      mismatches.push(`${caseLine(c).slice(0, 120)}: server ${error !== null ? `rejects (${error})` : 'accepts'}, linter ${linter ?? 'accepts'}`);
    }
  }
  console.log(
    `PostgreSQL ${srv.major}: ${cases.length} looked-up names, server rejects ${rejected}; ${machine} left to the server machine (locales, an encoding UTF8 cannot convert), ${undecided} to the server's parser (recovery_target_time); ${mismatches.length} disagreements`,
  );
  assert.ok(cases.length >= 150, `enough cases (${cases.length})`);
  assert.ok(machine > 0 && machine < cases.length / 4, `locales are the only machine-dependent cases (${machine})`);
  assert.deepEqual(mismatches, []);
});

test('the parser finds a syntax error exactly where PostgreSQL does', async (t) => {
  const { srv, probe } = rig;
  if (!probe) return t.skip('needs a server this run started');
  const mismatches: string[] = [];
  let errors = 0;
  for (const line of RAW_LINES) {
    // One line per file: the server stops reading a file at its first syntax error.
    const server = await probe.check(line + '\n');
    const serverRejects = server.some((r) => r.error != null);
    if (serverRejects) errors++;
    const mine = linterRejects(line + '\n', srv.major, probe.path);
    if (serverRejects !== mine.size > 0) {
      mismatches.push(
        `${JSON.stringify(line)}: server ${serverRejects ? `rejects (${server.map((r) => r.error).join('; ')})` : 'accepts'}, linter ${[...mine.values()].join('; ') || 'accepts'}`,
      );
    }
  }
  console.log(`PostgreSQL ${srv.major}: ${RAW_LINES.length} raw lines, server rejects ${errors}; ${mismatches.length} disagreements`);
  assert.deepEqual(mismatches, []);
});

test('internal parameters: the server refuses them at startup, and so does the linter', async (t) => {
  const { srv, probe } = rig;
  const server = srv.server;
  if (!probe || !server) return t.skip('needs a server this run started');
  for (const name of ['block_size', 'data_checksums', 'wal_segment_size']) {
    const p = lookup(name, srv.major);
    if (!p) continue;
    const line = `${name} = '${p.type === 'bool' ? 'on' : (p.boot ?? '1')}'\n`;
    await probe.check(line);
    const r = startupFails(srv);
    assert.ok(r.failed, `${line.trim()}: postgres -C should fail`);
    assert.match(r.stderr, /cannot be changed/);
    assert.ok(linterRejects(line, srv.major, probe.path).has(1), `${line.trim()}: the linter rejects it too`);
  }
  await probe.check('');
});
