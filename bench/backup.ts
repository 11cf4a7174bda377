// Backup and restore figures on a generated hotel database (the seed's schema, scaled up), in
// one run: pgdba's default backup vs the seed's `pg_dump -Fc | gzip` vs the floor
// `pg_dump -Fc -Z0 > /dev/null`; pgdba's parallel restore vs `gunzip -c | pg_restore`; peak RSS of
// a process streaming the backup to a (fake) Drive. PostgreSQL 15: the pg_dump installed here.
//   npx tsx bench/backup.ts            (PGDBA_BENCH_RESERVATIONS=4000000 PGDBA_BENCH_RUNS=3)
// The database is generated once into .tmp/bench-backup/ and kept for the next runs.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { buildSync } from 'esbuild';
import { createHotelDatabase, type HotelScale } from '../scripts/lib/hotelData';
import { startPgServer, type PgServer } from '../scripts/lib/pgServer';
import { runBackup } from '../src/core/backup/backup';
import { restoreBackup } from '../src/core/backup/restore';
import { parseConnectionUrl, withDatabase } from '../src/core/db/connection';
import { startFakeDrive } from '../test/support/fakeDrive';
import { median } from './lib/stats';

const ROOT = resolve(__dirname, '..');
const WORK = join(ROOT, '.tmp', 'bench-backup');
const OUT = join(WORK, 'out');
const RUNS = Number(process.env.PGDBA_BENCH_RUNS ?? 3);
const R = Number(process.env.PGDBA_BENCH_RESERVATIONS ?? 4_000_000);
const SCALE: HotelScale = { hotels: 100, roomsPerHotel: 60, clients: Math.round(R / 10), reservations: R };

const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function q(url: string, text: string): Promise<pg.QueryResult<Record<string, string>>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query<Record<string, string>>(text);
  } finally {
    await c.end();
  }
}

async function ensureDatabase(s: PgServer): Promise<void> {
  const marker = join(WORK, 'scale.json');
  const want = JSON.stringify(SCALE);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want) return;
  console.log(`generating the hotel database at ${want} (kept in ${WORK} for the next runs)…`);
  const t0 = Date.now();
  await q(s.urlFor('postgres'), 'DROP DATABASE IF EXISTS "hotel"');
  await q(s.urlFor('postgres'), 'CREATE DATABASE "hotel"');
  const c = new pg.Client({ connectionString: s.urlFor('hotel') });
  await c.connect();
  await createHotelDatabase(c, SCALE);
  await c.end();
  writeFileSync(marker, want);
  console.log(`generated in ${sec(Date.now() - t0)}`);
}

/** The upload child and the Drive module, bundled side by side as in dist/. */
function bundleDriveChild(): string {
  const dir = join(WORK, 'drive-child');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' } as const;
  buildSync({ ...common, entryPoints: [join(__dirname, 'backupDriveChild.ts')], outfile: join(dir, 'child.js') });
  buildSync({ ...common, entryPoints: [join(ROOT, 'src', 'core', 'backup', 'driveModule.ts')], outfile: join(dir, 'drive.js') });
  return join(dir, 'child.js');
}

function sh(script: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = Date.now();
    const p = spawn('bash', ['-c', `set -eo pipefail; ${script}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('exit', (code) => (code === 0 ? done(Date.now() - t0) : fail(new Error(`${script} exited ${code}`))));
  });
}

void (async () => {
  mkdirSync(OUT, { recursive: true });
  const s = await startPgServer({ major: 15, fast: true, dataDir: join(WORK, 'pg15'), settings: { max_wal_size: '4GB', maintenance_work_mem: '256MB' } });
  const fake = await startFakeDrive();
  try {
    await ensureDatabase(s);
    const dbSize = Number((await q(s.urlFor('hotel'), "SELECT pg_database_size('hotel') AS n")).rows[0]?.n);
    const target = parseConnectionUrl(s.urlFor('hotel'));
    const env = { PGHOST: '127.0.0.1', PGPORT: String(s.port), PGUSER: 'postgres', PGPASSWORD: s.password };
    console.log(
      `database "hotel": ${mb(dbSize)} on PostgreSQL ${s.major}; pg_dump ${execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }).trim()}; ${availableParallelism()} CPUs; ${RUNS} runs each`,
    );

    const t = { pgdba: [] as number[], seed: [] as number[], floor: [] as number[], rPgdba: [] as number[], rSeed: [] as number[] };
    let pgdbaSize = 0;
    let seedSize = 0;
    let pgdbaFile = '';
    const seedFile = join(OUT, 'seed-hotel.dump.gz');
    for (let i = 0; i < RUNS; i++) {
      rmSync(OUT, { recursive: true, force: true });
      mkdirSync(OUT);
      t.floor.push(await sh('pg_dump -Fc -Z0 hotel > /dev/null', env));
      const b0 = Date.now();
      const b = await runBackup({ target, dir: OUT });
      t.pgdba.push(Date.now() - b0);
      pgdbaSize = b.manifest.dump!.sizeBytes;
      pgdbaFile = b.path;
      t.seed.push(await sh(`pg_dump -Fc hotel | gzip > ${seedFile}`, env));
      seedSize = statSync(seedFile).size;
      console.log(
        `run ${i + 1}: floor ${sec(t.floor.at(-1)!)}, pgdba ${sec(t.pgdba.at(-1)!)} (${mb(pgdbaSize)}), seed ${sec(t.seed.at(-1)!)} (${mb(seedSize)})`,
      );
    }
    const restoreRuns = Math.max(1, Math.min(RUNS, Number(process.env.PGDBA_BENCH_RESTORE_RUNS ?? 2)));
    for (let i = 0; i < restoreRuns; i++) {
      for (const d of ['hotel_r1', 'hotel_r2']) await q(s.urlFor('postgres'), `DROP DATABASE IF EXISTS "${d}"`);
      const r0 = Date.now();
      await restoreBackup({ file: pgdbaFile, target: withDatabase(target, 'hotel_r1') });
      t.rPgdba.push(Date.now() - r0);
      await q(s.urlFor('postgres'), 'CREATE DATABASE "hotel_r2"');
      t.rSeed.push(await sh(`gunzip -c ${seedFile} | pg_restore -d hotel_r2`, env));
      console.log(`restore ${i + 1}: pgdba ${sec(t.rPgdba.at(-1)!)}, seed ${sec(t.rSeed.at(-1)!)}`);
    }
    for (const d of ['hotel_r1', 'hotel_r2']) await q(s.urlFor('postgres'), `DROP DATABASE IF EXISTS "${d}"`);

    // Asynchronously: the fake Drive answers from this process's event loop.
    // Bundled as the product runs (dist/cli.js beside dist/drive.js): tsx alone costs ~30 MB.
    const childJs = bundleDriveChild();
    const child = await new Promise<string>((done, fail) => {
      const p = spawn(process.execPath, [childJs, pgdbaFile, fake.rootUrl, fake.token], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (b: Buffer) => (out += b.toString()));
      p.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`upload child exited ${code}`))));
    });
    const up = JSON.parse(child) as { ms: number; baselineKB: number; maxRssKB: number };

    const m = { pgdba: median(t.pgdba), seed: median(t.seed), floor: median(t.floor), rPgdba: median(t.rPgdba), rSeed: median(t.rSeed) };
    const rows = [
      [
        'backup, pgdba default (zstd)',
        sec(m.pgdba),
        mb(pgdbaSize),
        `${(m.seed / m.pgdba).toFixed(1)}× faster than seed (target ≥ 4×); ${(m.pgdba / m.floor).toFixed(2)}× the floor (target ≤ 1.15)`,
      ],
      ['backup, seed pg_dump -Fc | gzip', sec(m.seed), mb(seedSize), `size ratio pgdba/seed ${(pgdbaSize / seedSize).toFixed(2)} (target ≤ 1)`],
      ['floor pg_dump -Fc -Z0 > /dev/null', sec(m.floor), '-', ''],
      ['restore, pgdba (-j, from .zst)', sec(m.rPgdba), '-', `${(m.rSeed / m.rPgdba).toFixed(2)}× faster than seed (target ≥ 1.5×)`],
      ['restore, seed gunzip -c | pg_restore', sec(m.rSeed), '-', ''],
      [
        'Drive upload of the backup (fake)',
        sec(up.ms),
        mb(pgdbaSize),
        `peak RSS ${(up.maxRssKB / 1024).toFixed(0)} MB (node before upload: ${(up.baselineKB / 1024).toFixed(0)} MB; target < 100 MB)`,
      ],
    ];
    console.log(`\nmedians over ${RUNS} backup runs, ${restoreRuns} restore runs; database ${mb(dbSize)}`);
    for (const r of rows) console.log(`${r[0]!.padEnd(38)} ${r[1]!.padStart(9)} ${r[2]!.padStart(8)}  ${r[3]}`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench', 'results', 'backup.json'),
      JSON.stringify(
        { at: new Date().toISOString(), dbSize, scale: SCALE, runs: RUNS, restoreRuns, raw: t, medians: m, pgdbaSize, seedSize, drive: up },
        null,
        2,
      ) + '\n',
    );
  } finally {
    rmSync(OUT, { recursive: true, force: true });
    await fake.stop();
    await s.stop();
  }
})();
