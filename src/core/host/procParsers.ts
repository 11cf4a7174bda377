// Parsers of the text files the host facts and the dashboard's host charts read: /proc/meminfo,
// /proc/stat, /proc/loadavg, /proc/diskstats, /proc/uptime, /etc/os-release, and `head -v`'s
// output of several files at once (one read per tick). Each is one pass over at most
// MAX_LINES lines; what does not parse is skipped, a missing figure is undefined, never 0.

/** No /proc file pgdba reads has more lines; diskstats of a machine with thousands of devices is cut there. */
const MAX_LINES = 20_000;

function lines(text: string): string[] {
  const out = text.split('\n', MAX_LINES + 1);
  return out.length > MAX_LINES ? out.slice(0, MAX_LINES) : out;
}

export interface Meminfo {
  totalBytes?: number;
  /** MemAvailable: what can be given to processes without swapping (kernel's estimate). */
  availableBytes?: number;
  freeBytes?: number;
  buffersBytes?: number;
  /** Cached (page cache) plus SReclaimable, as `free` counts "buff/cache" with Buffers. */
  cachedBytes?: number;
}

/** /proc/meminfo: "MemTotal:       16314400 kB" lines. */
export function parseMeminfo(text: string): Meminfo {
  const kb = new Map<string, number>();
  for (const line of lines(text)) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m) kb.set(m[1]!, Number(m[2]) * 1024);
  }
  const cached = kb.get('Cached');
  const reclaimable = kb.get('SReclaimable') ?? 0;
  return {
    ...(kb.has('MemTotal') ? { totalBytes: kb.get('MemTotal') } : {}),
    ...(kb.has('MemAvailable') ? { availableBytes: kb.get('MemAvailable') } : {}),
    ...(kb.has('MemFree') ? { freeBytes: kb.get('MemFree') } : {}),
    ...(kb.has('Buffers') ? { buffersBytes: kb.get('Buffers') } : {}),
    ...(cached !== undefined ? { cachedBytes: cached + reclaimable } : {}),
  };
}

/** The aggregate "cpu" line of /proc/stat, in clock ticks since boot. */
export interface CpuTimes {
  /** Ticks not idle: user, nice, system, irq, softirq, steal (guest is inside user). */
  busy: number;
  /** idle + iowait. */
  idle: number;
  iowait: number;
}

export interface ProcStat {
  total?: CpuTimes;
  /** The "cpuN" lines: CPUs online. */
  cpus: number;
}

export function parseProcStat(text: string): ProcStat {
  let total: CpuTimes | undefined;
  let cpus = 0;
  for (const line of lines(text)) {
    if (!line.startsWith('cpu')) continue;
    const m = /^cpu(\d*)\s+([\d\s]+)$/.exec(line);
    if (!m) continue;
    if (m[1] !== '') {
      cpus++;
      continue;
    }
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 4) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    total = { busy: user + nice + system + irq + softirq + steal, idle: idle + iowait, iowait };
  }
  return { ...(total ? { total } : {}), cpus };
}

export interface LoadAvg {
  one: number;
  five: number;
  fifteen: number;
}

/** /proc/loadavg: "1.97 1.29 1.45 5/180 2449". */
export function parseLoadavg(text: string): LoadAvg | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s/.exec(text);
  return m ? { one: Number(m[1]), five: Number(m[2]), fifteen: Number(m[3]) } : undefined;
}

/** /proc/uptime: "20390.27 14106.43" — seconds since boot first. */
export function parseUptime(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s/.exec(text);
  return m ? Math.floor(Number(m[1])) : undefined;
}

export interface DiskCounters {
  /** Completed reads and writes since boot. */
  reads: number;
  writes: number;
  /** 512-byte sectors, whatever the device's own sector size (the kernel's unit). */
  sectorsRead: number;
  sectorsWritten: number;
}

/** Devices that are not disks of their own: partitions of a counted disk and the virtual ones. */
const NOT_A_DISK = /^(loop|ram|zram|sr|fd|nbd)\d*$|^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+)\d+$|^(nvme\d+n\d+|mmcblk\d+)p\d+$|^(dm|md)-?\d+$/;

/**
 * /proc/diskstats summed over the whole disks ("  8  0 sda 1234 …"): partitions would count the
 * same I/O twice, and dm/md devices pass theirs on to the disks below them.
 */
export function parseDiskstats(text: string): DiskCounters {
  const sum: DiskCounters = { reads: 0, writes: 0, sectorsRead: 0, sectorsWritten: 0 };
  for (const line of lines(text)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    const name = f[2]!;
    if (NOT_A_DISK.test(name)) continue;
    const n = f.slice(3, 10).map(Number);
    if (n.some((x) => !Number.isFinite(x))) continue;
    sum.reads += n[0]!;
    sum.sectorsRead += n[2]!;
    sum.writes += n[4]!;
    sum.sectorsWritten += n[6]!;
  }
  return sum;
}

/**
 * CPUs this process may run on, from /proc/self/status's "Cpus_allowed_list:\t0-3,8": what
 * nproc counts (its sched_getaffinity), read by the reading command itself.
 */
export function parseCpusAllowed(text: string): number | undefined {
  const m = /^Cpus_allowed_list:\s*([\d,\s-]+)$/m.exec(text);
  if (!m) return undefined;
  let n = 0;
  for (const part of m[1]!.trim().split(',')) {
    const r = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!r) return undefined;
    const lo = Number(r[1]);
    const hi = r[2] !== undefined ? Number(r[2]) : lo;
    if (hi < lo) return undefined;
    n += hi - lo + 1;
  }
  return n > 0 ? n : undefined;
}

/** /etc/os-release: PRETTY_NAME, else NAME and VERSION; values may be quoted. */
export function parseOsRelease(text: string): string | undefined {
  const v = new Map<string, string>();
  for (const line of lines(text)) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let val = m[2]!;
    const q = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(val);
    if (q) val = (q[1] ?? q[2] ?? '').replace(/\\(.)/g, '$1');
    v.set(m[1]!, val);
  }
  const pretty = v.get('PRETTY_NAME');
  if (pretty) return pretty;
  const name = v.get('NAME');
  return name ? [name, v.get('VERSION')].filter(Boolean).join(' ') : undefined;
}

/**
 * `head -v -c N -- A B …` prints each file after a "==> A <==" line, files separated by an empty
 * line; a file it could not open is missing (its error went to stderr). Only the paths asked
 * for are taken as headers, so a line of a file that looks like one does not cut it.
 */
export function splitHeadOutput(text: string, paths: readonly string[]): Map<string, string> {
  const wanted = new Set(paths);
  const out = new Map<string, string>();
  let current: string | undefined;
  let start = 0;
  let pos = 0;
  const close = (end: number) => {
    if (current === undefined) return;
    // head separates files with one empty line before the next header.
    let body = text.slice(start, end);
    if (body.endsWith('\n\n')) body = body.slice(0, -1);
    out.set(current, body);
  };
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(pos, end);
    const m = /^==> (.*) <==$/.exec(line);
    if (m && wanted.has(m[1]!) && !out.has(m[1]!) && m[1] !== current) {
      close(pos);
      current = m[1]!;
      start = end + 1;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  close(text.length);
  return out;
}
