// Free and total bytes of the file systems holding some directories: `df -P -B1 -- DIR…` on the
// host (POSIX format, one line per file system, byte units), the same command a person runs.
import type { HostAccess } from './hostAccess';

export interface DiskSpace {
  /** The directory asked about. */
  path: string;
  freeBytes: number;
  totalBytes: number;
}

/**
 * The POSIX lines after the header, one per path in the order asked: "Filesystem 1-blocks Used
 * Available Capacity Mounted on". A source or mount point with spaces shifts the columns, so the
 * numbers are read as the first run of three integers and a percentage.
 */
export function parseDfOutput(text: string, paths: readonly string[]): DiskSpace[] {
  const rows = text.split('\n', paths.length + 2).slice(1);
  const out: DiskSpace[] = [];
  for (let i = 0; i < paths.length; i++) {
    const m = /\s(\d+)\s+(\d+)\s+(\d+)\s+\d+%\s/.exec(rows[i] ?? '');
    if (!m) throw new Error(`df printed no sizes for ${paths[i]}`);
    out.push({ path: paths[i]!, totalBytes: Number(m[1]), freeBytes: Number(m[3]) });
  }
  return out;
}

/** The size of one path's file system; a path df cannot see throws with df's own words. */
export async function readDiskSpace(host: HostAccess, path: string, timeoutMs: number): Promise<DiskSpace> {
  const r = await host.exec(['df', '-P', '-B1', '--', path], { timeoutMs, maxBytes: 64 * 1024 });
  if (r.code !== 0) throw new Error(`df on ${host.label}: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}`);
  return parseDfOutput(r.stdout.toString('utf8'), [path])[0]!;
}

/**
 * Several paths in one df when all can be measured; when one cannot (df exits 1), each alone, so
 * that the others' sizes still come back and the failing one gets df's own reason.
 */
export async function readDiskSpaces(host: HostAccess, paths: readonly string[], timeoutMs: number): Promise<(DiskSpace | Error)[]> {
  const r = await host.exec(['df', '-P', '-B1', '--', ...paths], { timeoutMs, maxBytes: 64 * 1024 });
  if (r.code === 0) return parseDfOutput(r.stdout.toString('utf8'), paths);
  return Promise.all(paths.map((p) => readDiskSpace(host, p, timeoutMs).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
}
