// The programs the nightly job runs on the server's machine: pgdba itself at the path the unit
// calls, pg_dump and pg_restore of the server's major or newer (the dump, the verification),
// zstd (compression before pg_dump 16); pgbench only for load tests.
import type { HostAccess } from '../host/hostAccess';
import { probeHostTools, type HostTool } from '../pgtools/hostTools';
import { dumpVersionProblem } from '../pgtools/tools';
import type { DoctorCheck } from './types';

const CLIENT_FIX = (major: number | undefined) =>
  `apt install postgresql-client${major ? `-${major}` : ''} (PGDG's apt repository has every major), or give --pg-bin-dir DIR`;

function pgToolCheck(t: HostTool, serverMajor: number | undefined, needed: boolean): DoctorCheck {
  const id = t.name as 'pg_dump' | 'pg_restore' | 'pgbench';
  const missing = needed ? 'fail' : 'warn';
  if (t.major === undefined) return { id, level: missing, summary: t.problem ?? `${t.name} not found`, fix: CLIENT_FIX(serverMajor) };
  const found = `${t.name} ${t.version} (${t.path})`;
  if (serverMajor === undefined) return { id, level: 'warn', summary: `${found}; the server's major is not known, so it is not compared` };
  const problem = dumpVersionProblem(t.name, t.major, serverMajor);
  if (problem) return { id, level: missing, summary: `${found} is older than the server's PostgreSQL ${serverMajor}`, fix: problem };
  return { id, level: 'ok', summary: `${found}, for PostgreSQL ${serverMajor}` };
}

/** pgdba at `pgdbaPath` answers `version`: the unit's ExecStart would start. */
async function pgdbaCheck(host: HostAccess, pgdbaPath: string): Promise<DoctorCheck> {
  const fix = `copy pgdba-cli-X.Y.Z.tgz to ${host.label} and run: sudo npm install -g ./pgdba-cli-X.Y.Z.tgz (Node 20 or newer)`;
  try {
    const r = await host.exec([pgdbaPath, 'version'], { timeoutMs: 20_000, maxBytes: 64 * 1024 });
    const first = r.stdout.toString('utf8').split('\n')[0] ?? '';
    if (r.code === 0 && /^pgdba \S+/.test(first)) return { id: 'pgdba', level: 'ok', summary: `${pgdbaPath}: ${first}` };
    return { id: 'pgdba', level: 'fail', summary: `${pgdbaPath} version failed (exit ${r.code}): ${r.stderr.trim().split('\n')[0] ?? ''}`, fix };
  } catch (e) {
    return { id: 'pgdba', level: 'fail', summary: `${pgdbaPath} does not run on ${host.label}: ${e instanceof Error ? e.message : String(e)}`, fix };
  }
}

export async function toolChecks(host: HostAccess, o: { serverMajor?: number; pgBinDir?: string; pgdbaPath: string }): Promise<DoctorCheck[]> {
  const pgdba = await pgdbaCheck(host, o.pgdbaPath);
  const tools = await probeHostTools(host, ['pg_dump', 'pg_restore', 'pgbench', 'zstd'], o.pgBinDir);
  const [dump, restore, bench, zstd] = tools as [HostTool, HostTool, HostTool, HostTool];
  const zstdCheck: DoctorCheck =
    zstd.version !== undefined
      ? { id: 'zstd', level: 'ok', summary: `zstd ${zstd.version} (${zstd.path})` }
      : dump.major !== undefined && dump.major >= 16
        ? {
            id: 'zstd',
            level: 'warn',
            summary: `no zstd: pg_dump ${dump.major} compresses with zstd itself, but .dump.zst backups cannot be restored here`,
            fix: 'apt install zstd',
          }
        : { id: 'zstd', level: 'warn', summary: `no zstd: the backups fall back to pg_dump's gzip (larger, slower)`, fix: 'apt install zstd' };
  return [
    pgdba,
    pgToolCheck(dump, o.serverMajor, true),
    pgToolCheck(restore, o.serverMajor, true),
    zstdCheck,
    { ...pgToolCheck(bench, o.serverMajor, false), ...(bench.major === undefined ? { summary: `${bench.problem ?? 'no pgbench'} (load tests only)` } : {}) },
  ];
}
