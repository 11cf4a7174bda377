// The hardware profile a postgresql.conf is judged against, its detection on this machine, and
// the recommendations: formulas in the manner of PGTune (le0pard/pgtune), each with the reason
// in one sentence and the band of values that is still fine, so that only a value off by a
// meaningful factor becomes a finding (1000MB against 1GB never does).
import { DEFAULT_PG_MAJOR } from '../pgMajor';
import { cpus as osCpus, totalmem } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';

export type Storage = 'ssd' | 'hdd' | 'san';
export type Workload = 'web' | 'oltp' | 'dw' | 'desktop' | 'mixed';

export interface HardwareProfile {
  ramBytes: number;
  cpus: number;
  storage: Storage;
  workload: Workload;
  /** Connections the server is sized for; the file's max_connections when absent. */
  maxConnections?: number;
  pgVersion: number;
}

export interface Recommendation {
  name: string;
  /** Memory in bytes, or a plain number; -1 for wal_buffers means "auto". */
  value: number;
  /** The text to write: "1GB", "1.1", "200". */
  text: string;
  /** Values in [low, high] are fine; outside, a finding. */
  low: number;
  high: number;
  memory: boolean;
  reason: string;
}

const GB = 2 ** 30;
const MB = 2 ** 20;
const KB = 1024;
/** The usual tolerance: off by less than 1.5× either way is not worth a restart. */
const FACTOR = 1.5;

/** "4 GB RAM, 4 CPUs, SSD, web" */
export function describeProfile(p: HardwareProfile): string {
  const gb = p.ramBytes / GB;
  const ram = gb >= 1 ? `${Number(gb.toFixed(gb < 10 ? 1 : 0))} GB` : `${Math.round(p.ramBytes / MB)} MB`;
  return `${ram} RAM, ${p.cpus} CPU${p.cpus === 1 ? '' : 's'}, ${p.storage.toUpperCase()}, ${p.workload}`;
}

/** Memory rounded down to whole MB (to whole GB above 8 GB), so that it reads well in a file. */
function roundMem(bytes: number): number {
  const unit = bytes >= 8 * GB ? GB : MB;
  return Math.max(unit === GB ? GB : 64 * KB, Math.floor(bytes / unit) * unit);
}

function formatMem(bytes: number): string {
  if (bytes % GB === 0) return `${bytes / GB}GB`;
  if (bytes % MB === 0) return `${bytes / MB}MB`;
  return `${Math.round(bytes / KB)}kB`;
}

function mem(name: string, bytes: number, reason: string, low = bytes / FACTOR, high = bytes * FACTOR): Recommendation {
  return { name, value: bytes, text: formatMem(bytes), low, high, memory: true, reason };
}
function num(name: string, value: number, reason: string, low = value / FACTOR, high = value * FACTOR): Recommendation {
  return { name, value, text: String(value), low, high, memory: false, reason };
}

/** The parallel-query settings PGTune derives from the CPU count (only from 4 CPUs up). */
function parallel(p: HardwareProfile): { workers: number; perGather: number; maintenance: number } | undefined {
  if (p.cpus < 4) return undefined;
  const half = Math.ceil(p.cpus / 2);
  return { workers: p.cpus, perGather: p.workload === 'dw' ? Math.min(half, 8) : Math.min(half, 4), maintenance: Math.min(half, 4) };
}

export function recommend(p: HardwareProfile, connections: number): Recommendation[] {
  const ram = p.ramBytes;
  const desktop = p.workload === 'desktop';
  const out: Recommendation[] = [];
  const sharedBuffers = roundMem(desktop ? ram / 16 : ram / 4);
  // Below the recommendation is the finding; above 40% of RAM is PGC103's.
  out.push(
    mem(
      'shared_buffers',
      sharedBuffers,
      `PostgreSQL's own cache should hold about ${desktop ? 'a sixteenth' : 'a quarter'} of RAM, leaving the rest to the OS page cache.`,
      sharedBuffers / FACTOR,
      Infinity,
    ),
  );
  const ecs = roundMem(desktop ? ram / 4 : (ram * 3) / 4);
  // At or near all of RAM it claims memory the OS, connections and shared_buffers use; above RAM is PGC104's.
  out.push(
    mem(
      'effective_cache_size',
      ecs,
      `the planner should count on about ${desktop ? 'a quarter' : 'three quarters'} of RAM being cache, not all of it.`,
      ecs / FACTOR,
      ram * 0.9,
    ),
  );
  // Before 17 VACUUM stores at most 1 GB of dead tuple ids whatever the setting (17 lifts the limit):
  // more helps only CREATE INDEX, so the cap is 1 GB and a value above it is no finding there.
  const mwmCap = p.pgVersion >= 17 ? 2 * GB : GB;
  const mwm = Math.min(mwmCap, roundMem(p.workload === 'dw' ? ram / 8 : ram / 16));
  out.push(
    mem(
      'maintenance_work_mem',
      mwm,
      p.pgVersion >= 17
        ? `VACUUM and CREATE INDEX run faster with about ${p.workload === 'dw' ? 'an eighth' : 'a sixteenth'} of RAM (at most 2 GB).`
        : `VACUUM and CREATE INDEX run faster with about ${p.workload === 'dw' ? 'an eighth' : 'a sixteenth'} of RAM; before PostgreSQL 17 VACUUM uses at most 1 GB of it.`,
      mwm / FACTOR,
      p.pgVersion < 17 && mwm === mwmCap ? Infinity : mwm * FACTOR,
    ),
  );
  const par = parallel(p);
  const workers = par?.workers ?? 8;
  const factor = { web: 1, oltp: 1, dw: 2, desktop: 6, mixed: 2 }[p.workload];
  // Parallel workers are counted once, among the processes that share the RAM (as PGTune does now).
  const wm = Math.max(64 * KB, Math.floor((ram - sharedBuffers) / ((connections + workers) * 3) / factor / KB) * KB);
  // Too much work_mem is judged by PGC105 (work_mem × max_connections against RAM).
  out.push(
    mem(
      'work_mem',
      wm,
      `sorts and hashes get RAM minus shared_buffers, shared by ${connections} connections and ${workers} worker processes using up to three allocations each.`,
      wm / FACTOR,
      Infinity,
    ),
  );
  // -1 sizes wal_buffers from shared_buffers (1/32, at most one 16 MB segment), as PGTune does.
  out.push({
    name: 'wal_buffers',
    value: -1,
    text: '-1',
    low: Math.min(16 * MB, sharedBuffers / 32) / FACTOR,
    high: Infinity,
    memory: true,
    reason: 'WAL buffers of 1/32 of shared_buffers (at most 16 MB) avoid waits on WAL writes; -1 does that.',
  });
  const rpc = { ssd: 1.1, san: 1.1, hdd: 4 }[p.storage];
  out.push(
    num(
      'random_page_cost',
      rpc,
      p.storage === 'hdd'
        ? 'on spinning disks a random read costs about four sequential ones.'
        : `on ${p.storage.toUpperCase()} a random read costs about as much as a sequential one, so indexes should not be penalised.`,
    ),
  );
  const eic = { ssd: 200, san: 300, hdd: 2 }[p.storage];
  out.push(
    num(
      'effective_io_concurrency',
      eic,
      p.storage === 'hdd'
        ? 'a spinning disk serves only a couple of reads at once.'
        : `${p.storage.toUpperCase()} serves many reads at once, so prefetching should ask for many.`,
      p.storage === 'hdd' ? 1 : eic / FACTOR,
      p.storage === 'hdd' ? 4 : eic * FACTOR,
    ),
  );
  out.push(num('checkpoint_completion_target', 0.9, 'spreading checkpoint writes over 90% of the interval avoids I/O spikes.', 0.6, 1));
  // WAL volume depends on the write rate, not the hardware: only far too small is a finding.
  const maxWal = { desktop: GB, web: 2 * GB, mixed: 4 * GB, oltp: 8 * GB, dw: 16 * GB }[p.workload];
  out.push(
    mem(
      'max_wal_size',
      maxWal,
      `a ${p.workload} workload writes enough WAL that a smaller max_wal_size forces checkpoints before checkpoint_timeout.`,
      maxWal / 4,
      Infinity,
    ),
  );
  if (par) {
    out.push(
      num('max_worker_processes', par.workers, `background and parallel workers should be able to use all ${p.cpus} CPUs.`, par.workers / FACTOR, Infinity),
    );
    out.push(num('max_parallel_workers', par.workers, `parallel queries should be able to use all ${p.cpus} CPUs.`, par.workers / FACTOR, Infinity));
    out.push(
      num(
        'max_parallel_workers_per_gather',
        par.perGather,
        `one query may use half the CPUs${p.workload === 'dw' ? '' : ' (at most 4)'} without starving the others.`,
      ),
    );
    out.push(
      num(
        'max_parallel_maintenance_workers',
        par.maintenance,
        'CREATE INDEX and VACUUM may use half the CPUs (at most 4).',
        par.maintenance / FACTOR,
        Infinity,
      ),
    );
  }
  out.push(
    num(
      'default_statistics_target',
      p.workload === 'dw' ? 500 : 100,
      p.workload === 'dw'
        ? 'analytic queries plan better with finer statistics.'
        : 'finer statistics than the default slow ANALYZE without helping this workload.',
    ),
  );
  return out;
}

/** Values for the tuned block beyond the findings: min_wal_size at a quarter of max_wal_size. */
export function tunedExtras(p: HardwareProfile): { name: string; text: string; reason: string }[] {
  const maxWal = { desktop: GB, web: 2 * GB, mixed: 4 * GB, oltp: 8 * GB, dw: 16 * GB }[p.workload];
  return [{ name: 'min_wal_size', text: formatMem(maxWal / 4), reason: 'keep a quarter of max_wal_size of WAL recycled for bursts' }];
}

/** Storage of this machine: any non-rotational disk makes it SSD. */
function detectStorage(): Storage {
  try {
    let rotational = false;
    for (const dev of readdirSync('/sys/block')) {
      if (/^(loop|ram|zram|sr|fd)/.test(dev)) continue;
      let flag: string;
      try {
        flag = readFileSync(`/sys/block/${dev}/queue/rotational`, 'utf8').trim();
      } catch {
        continue; // no queue info for this device
      }
      if (flag === '0') return 'ssd';
      if (flag === '1') rotational = true;
    }
    return rotational ? 'hdd' : 'ssd';
  } catch {
    return 'ssd'; // not Linux: today's default
  }
}

/** This machine's profile; workload, connections and version are the caller's to say. */
export function detectHardware(options: { workload?: Workload; maxConnections?: number; pgVersion?: number } = {}): HardwareProfile {
  return {
    ramBytes: totalmem(),
    cpus: Math.max(1, osCpus().length),
    storage: detectStorage(),
    workload: options.workload ?? 'mixed',
    maxConnections: options.maxConnections,
    pgVersion: options.pgVersion ?? DEFAULT_PG_MAJOR,
  };
}
