// `npm run bench:logs [-- --mb N --runs N --no-pgbadger]`: throughput of `pgdba logs` on a generated stderr log
// with the seed's prefix (default 1,024 MB, written in this run's temp dir and deleted after),
// against pgBadger -j 1 and -j 2 on the same file in the same run; and pgdba's peak RSS
// (/usr/bin/time's maximum resident set). The log mixes what a busy server writes: slow
// statements of a few hundred shapes with varying constants (some extended protocol, with
// parameters), connections and sessions, errors with their STATEMENT, lock waits, temp files,
// checkpoints and multi-line autovacuum entries. pgdba runs the bundled CLI, as shipped.
// Figures only (docs/architecture.md): pgdba runs before, between and after the two pgBadger
// runs (minutes each on 1 GB; at least --runs of pgdba in all), each pgBadger's ratio against
// the pgdba runs beside it, and the load at each run.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliBundle } from '../test/support/cliBundle';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const MB = opt('mb', 1024);
const RUNS = opt('runs', 3);
const PREFIX = '%m [%p] %q%u@%d ';
const PGBADGER = '/usr/bin/pgbadger';
/** --no-pgbadger: pgdba's figures only (pgBadger takes minutes a GB). */
const WITH_BADGER = !argv.includes('--no-pgbadger');

const TABLES = Array.from({ length: 40 }, (_, i) => `t${i}`);
function statementOf(i: number, r: number): string {
  const t = TABLES[i % TABLES.length]!;
  switch (i % 5) {
    case 0:
      return `SELECT * FROM ${t} WHERE id = ${r} AND status = 'active${r % 7}'`;
    case 1:
      return `UPDATE ${t} SET note = 'n${r}', updated_at = now() WHERE id = ${r}`;
    case 2:
      return `SELECT count(*) FROM ${t} JOIN guests g ON g.id = ${t}.guest_id WHERE g.created > '2026-11-${String((r % 28) + 1).padStart(2, '0')}'`;
    case 3:
      return `INSERT INTO ${t} (guest_id, note) VALUES (${r}, 'x${r}')`;
    default:
      return `SELECT a, b, c FROM ${t}\n\tWHERE a IN (${r}, ${r + 1}, ${r + 2})\n\tORDER BY b DESC LIMIT ${(r % 50) + 1}`;
  }
}

/** Writes `mb` MB of log; returns the counts written, to check both tools read the same. */
async function generate(file: string, mb: number): Promise<{ statements: number; bytes: number }> {
  const out = createWriteStream(file);
  const target = mb * 1024 * 1024;
  let bytes = 0;
  let statements = 0;
  let t = Date.UTC(2026, 11, 1, 0, 0, 0);
  let seq = 0;
  let rnd = 12345;
  const rand = () => (rnd = (rnd * 1103515245 + 12345) & 0x7fffffff);
  const ts = () => {
    const d = new Date(t);
    return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)} UTC`;
  };
  while (bytes < target) {
    const parts: string[] = [];
    for (let k = 0; k < 2000; k++) {
      t += 7;
      seq++;
      const pid = 1000 + (rand() % 400);
      const who = `app${pid % 5}@hotel${pid % 3} `;
      const p = `${ts()} [${pid}] `;
      const r = rand();
      const kind = seq % 100;
      if (kind < 70) {
        const ms = (1000 + (r % 5000) + (r % 1000) / 1000).toFixed(3);
        const sql = statementOf(r % 300, r % 100000);
        if (kind < 20) {
          parts.push(`${p}${who}LOG:  duration: ${ms} ms  execute <unnamed>: ${sql.replace(/\d+/g, '$1')}\n`);
          parts.push(`${p}${who}DETAIL:  parameters: $1 = '${r % 1000}'\n`);
        } else parts.push(`${p}${who}LOG:  duration: ${ms} ms  statement: ${sql}\n`);
        statements++;
      } else if (kind < 78) {
        parts.push(`${p}[unknown]@[unknown] LOG:  connection received: host=10.0.${r % 255}.${pid % 255} port=${40000 + (r % 20000)}\n`);
        parts.push(`${p}${who}LOG:  connection authorized: user=app${pid % 5} database=hotel${pid % 3}\n`);
      } else if (kind < 86) {
        parts.push(
          `${p}${who}LOG:  disconnection: session time: 0:0${r % 10}:${String(r % 60).padStart(2, '0')}.${r % 1000} user=app${pid % 5} database=hotel${pid % 3} host=10.0.0.${pid % 255} port=${40000 + (r % 20000)}\n`,
        );
      } else if (kind < 92) {
        parts.push(`${p}${who}ERROR:  duplicate key value violates unique constraint "t${r % 40}_pkey"\n`);
        parts.push(`${p}${who}DETAIL:  Key (id)=(${r % 1000}) already exists.\n`);
        parts.push(`${p}${who}STATEMENT:  INSERT INTO t${r % 40} VALUES (${r % 1000})\n`);
      } else if (kind < 94) {
        parts.push(`${p}${who}LOG:  process ${pid} acquired ShareLock on transaction ${r} after ${1000 + (r % 4000)}.123 ms\n`);
        parts.push(`${p}${who}STATEMENT:  UPDATE t${r % 40} SET note = 'x' WHERE id = ${r % 1000}\n`);
      } else if (kind < 96) {
        parts.push(`${p}${who}LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp${pid}.${r % 10}", size ${r * 10}\n`);
        parts.push(`${p}${who}STATEMENT:  SELECT * FROM t${r % 40} ORDER BY note\n`);
      } else if (kind < 97) {
        parts.push(`${ts()} [99] LOG:  checkpoint starting: time\n`);
        parts.push(
          `${ts()} [99] LOG:  checkpoint complete: wrote ${r % 10000} buffers (1.0%); 0 WAL file(s) added, 0 removed, 1 recycled; write=26.9 s, sync=0.1 s, total=27.1 s; sync files=40, longest=0.01 s, average=0.001 s; distance=${r % 100000} kB, estimate=90000 kB\n`,
        );
      } else if (kind < 98) {
        parts.push(
          `${ts()} [${pid}] LOG:  automatic vacuum of table "hotel0.public.t${r % 40}": index scans: 1\n\tpages: 0 removed, 100 remain, 100 scanned (100.00% of total)\n\ttuples: ${r % 1000} removed, 5000 remain, 0 are dead but not yet removable\n\tavg read rate: 1.0 MB/s, avg write rate: 1.0 MB/s\n\tsystem usage: CPU: user: 0.01 s, system: 0.00 s, elapsed: 0.05 s\n`,
        );
      } else {
        parts.push(`${p}${who}FATAL:  password authentication failed for user "app${pid % 5}"\n`);
        parts.push(`${p}${who}DETAIL:  Connection matched pg_hba.conf line 9: "host all all 0.0.0.0/0 scram-sha-256"\n`);
      }
    }
    const chunk = parts.join('');
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  return { statements, bytes };
}

/** Wall seconds and peak RSS (MB) of a command, through /usr/bin/time. */
function timed(cmd: string, args: string[]): { s: number; rssMb: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-500)}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { s, rssMb: kb / 1024, stdout: r.stdout };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-bench-logs-'));
  try {
    const cli = await buildCliBundle(join(dir, 'cli', 'pgdba.js'));
    const file = join(dir, 'postgresql.log');
    const g0 = performance.now();
    const made = await generate(file, MB);
    const size = statSync(file).size;
    console.log(
      `generated ${(size / 1024 ** 2).toFixed(0)} MB (${made.statements} statements) in ${((performance.now() - g0) / 1000).toFixed(1)} s; ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`,
    );
    const mbs = (s: number) => size / 1024 ** 2 / s;
    const load = () => loadavg()[0]!.toFixed(1);
    // The machine is shared: pgdba runs before and after each pgBadger run, and each pgBadger is
    // held against the pgdba runs beside it, so a change of load weighs on both sides alike.
    const ours: { s: number; rssMb: number }[] = [];
    const runOurs = () => {
      const l = load();
      const r = timed(process.execPath, [cli, 'logs', '--format', 'json', '--top', '20', '--prefix', PREFIX, file]);
      const j = JSON.parse(r.stdout) as { summary: { statements: number } };
      if (j.summary.statements !== made.statements) throw new Error(`pgdba counted ${j.summary.statements} statements, the log has ${made.statements}`);
      ours.push(r);
      console.log(`pgdba run ${ours.length}: ${r.s.toFixed(1)} s, ${mbs(r.s).toFixed(1)} MB/s, peak RSS ${r.rssMb.toFixed(0)} MB (load ${l})`);
      return r.s;
    };
    const runBadger = (j: number) => {
      const l = load();
      const out = join(dir, `badger${j}.json`);
      const r = timed(PGBADGER, ['-f', 'stderr', '-p', PREFIX, '-j', String(j), '-q', '--pid-dir', dir, '-o', out, '-x', 'json', '--', file]);
      const b = JSON.parse(execFileSync('cat', [out], { encoding: 'utf8', maxBuffer: 1024 ** 3 })) as {
        overall_stat: Record<string, { queries_number: number }>;
      };
      const q = Object.values(b.overall_stat).reduce((sum, v) => sum + (v.queries_number ?? 0), 0);
      console.log(`pgbadger -j ${j}: ${r.s.toFixed(1)} s, ${mbs(r.s).toFixed(1)} MB/s, peak RSS ${r.rssMb.toFixed(0)} MB, ${q} statements (load ${l})`);
      return r.s;
    };
    const badger: { j: number; s: number; beside: number }[] = [];
    const withBadger = WITH_BADGER && existsSync(PGBADGER);
    let before = runOurs();
    if (withBadger)
      for (const j of [1, 2]) {
        const s = runBadger(j);
        const after = runOurs();
        badger.push({ j, s, beside: (before + after) / 2 });
        before = after;
      }
    else console.log(WITH_BADGER ? `${PGBADGER} is missing: no pgBadger figures (scripts/setup-system.sh installs it)` : 'pgBadger not run (--no-pgbadger)');
    while (ours.length < RUNS) runOurs();
    const oursS = median(ours.map((r) => r.s));
    const oursRss = Math.max(...ours.map((r) => r.rssMb));
    console.log(`\n| tool | seconds | MB/s | × pgdba (the pgdba runs beside it) |\n|---|---|---|---|`);
    console.log(`| pgdba logs (median of ${ours.length}) | ${oursS.toFixed(1)} | ${mbs(oursS).toFixed(1)} | 1 |`);
    for (const b of badger)
      console.log(
        `| pgbadger -j ${b.j} | ${b.s.toFixed(1)} | ${mbs(b.s).toFixed(1)} | ${(b.s / b.beside).toFixed(1)} (${(b.s / oursS).toFixed(1)} against the median) |`,
      );
    console.log(`\npgdba peak RSS ${oursRss.toFixed(0)} MB (target < 200 MB); targets: ≥ 10× pgbadger -j 1, ≥ 5× -j 2`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
