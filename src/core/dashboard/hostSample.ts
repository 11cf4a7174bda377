// The dashboard's host charts: one read of the server's machine per tick — /proc/stat,
// /proc/meminfo, /proc/loadavg and /proc/diskstats in a single command through HostAccess —
// and the chart values from two reads (CPU and disk counters are deltas; a counter that went
// backwards, a reboot, gives a gap).
import type { HostAccess } from '../host/hostAccess';
import { readHostFiles } from '../host/hostFiles';
import { parseDiskstats, parseLoadavg, parseMeminfo, parseProcStat, type CpuTimes, type DiskCounters, type LoadAvg, type Meminfo } from '../host/procParsers';
import { NO_HOST, type HostPointFields } from './rates';

export interface HostSample {
  /** This side's clock when the read returned. */
  atMs: number;
  cpu?: CpuTimes;
  mem: Meminfo;
  load?: LoadAvg;
  disk?: DiskCounters;
}

const FILES = ['/proc/stat', '/proc/meminfo', '/proc/loadavg', '/proc/diskstats'] as const;

/** One command on the host; throws with the host's label when it cannot be read. */
export async function readHostSample(host: HostAccess, timeoutMs: number, signal?: AbortSignal): Promise<HostSample> {
  const files = await readHostFiles(host, FILES, timeoutMs, signal);
  const text = (p: (typeof FILES)[number]) => files.get(p);
  const stat = text('/proc/stat');
  if (stat === undefined && text('/proc/meminfo') === undefined) throw new Error(`${host.label} has no /proc/stat or /proc/meminfo (not Linux?)`);
  const disk = text('/proc/diskstats');
  const load = text('/proc/loadavg');
  return {
    atMs: Date.now(),
    ...(stat !== undefined && parseProcStat(stat).total ? { cpu: parseProcStat(stat).total } : {}),
    mem: parseMeminfo(text('/proc/meminfo') ?? ''),
    ...(load !== undefined && parseLoadavg(load) ? { load: parseLoadavg(load) } : {}),
    ...(disk !== undefined ? { disk: parseDiskstats(disk) } : {}),
  };
}

export function hostPoint(cur: HostSample, prev?: HostSample): HostPointFields {
  const seconds = prev ? (cur.atMs - prev.atMs) / 1000 : 0;
  const m = cur.mem;
  let cpuBusy: number | null = null;
  if (prev?.cpu && cur.cpu) {
    const busy = cur.cpu.busy - prev.cpu.busy;
    const idle = cur.cpu.idle - prev.cpu.idle;
    if (busy >= 0 && idle >= 0 && busy + idle > 0) cpuBusy = (100 * busy) / (busy + idle);
  }
  const diskRate = (k: 'reads' | 'writes') => {
    if (!prev?.disk || !cur.disk || seconds <= 0) return null;
    const d = cur.disk[k] - prev.disk[k];
    return d >= 0 ? d / seconds : null;
  };
  return {
    ...NO_HOST,
    hostCpuBusyPct: cpuBusy,
    hostMemUsedBytes: m.totalBytes !== undefined && m.availableBytes !== undefined ? m.totalBytes - m.availableBytes : null,
    hostPageCacheBytes: m.cachedBytes !== undefined ? m.cachedBytes + (m.buffersBytes ?? 0) : null,
    hostMemTotalBytes: m.totalBytes ?? null,
    hostLoad1: cur.load?.one ?? null,
    hostDiskReadsPerSec: diskRate('reads'),
    hostDiskWritesPerSec: diskRate('writes'),
  };
}
