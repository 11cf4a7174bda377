// How a backup is compressed. The seed compressed twice (pg_dump -Fc's default zlib, then gzip)
// on one core; measured on these machines that costs 5× the dump itself. pgdba compresses once:
// with pg_dump's own zstd where it has one (16+), else pg_dump -Z0 piped through a threaded zstd,
// else pg_dump's own gzip at level 1. The custom format keeps per-table blocks in all three.
import type { CompressionMethod } from './manifest';
import type { ArchiveCompression } from './naming';

export interface CompressionPlan {
  method: CompressionMethod;
  level: number;
  why: string;
  /** Extra pg_dump arguments (after -Fc). */
  pgDumpArgs: string[];
  /** A compressor the dump is piped through, when pg_dump does not compress. */
  pipe?: { cmd: string; args: string[] };
  outer: ArchiveCompression;
}

export type CompressionChoice = 'auto' | 'zstd' | 'gzip' | 'none';

export function planCompression(pgDumpMajor: number, zstdPath: string | undefined, cpus: number, choice: CompressionChoice = 'auto'): CompressionPlan {
  const threads = Math.max(1, cpus);
  if (choice === 'none') return { method: 'none', level: 0, why: 'compression turned off', pgDumpArgs: ['-Z0'], outer: 'none' };
  if (choice === 'gzip') {
    return { method: 'pg_dump-gzip', level: 1, why: 'gzip asked for', pgDumpArgs: ['-Z1'], outer: 'none' };
  }
  if (pgDumpMajor >= 16) {
    // pg_dump 16 added zstd to the custom format; the file stays a plain .dump for pg_restore -j.
    return { method: 'pg_dump-zstd', level: 1, why: `pg_dump ${pgDumpMajor} compresses with zstd itself`, pgDumpArgs: ['--compress=zstd:1'], outer: 'none' };
  }
  if (zstdPath) {
    return {
      method: 'zstd-pipe',
      level: 1,
      why: `pg_dump ${pgDumpMajor} has no zstd: pg_dump -Z0 piped through zstd -1 -T${threads}`,
      pgDumpArgs: ['-Z0'],
      pipe: { cmd: zstdPath, args: ['-1', `-T${threads}`, '-q', '-c'] },
      outer: 'zstd',
    };
  }
  if (choice === 'zstd') throw new Error('zstd was asked for but is not installed: install the zstd package');
  return {
    method: 'pg_dump-gzip',
    level: 1,
    why: `pg_dump ${pgDumpMajor} has no zstd and no zstd program was found: gzip level 1`,
    pgDumpArgs: ['-Z1'],
    outer: 'none',
  };
}

/** The command that turns a .gz / .zst back into a custom-format archive on stdout ("--": a file named -h… is a file). */
export function decompressCommand(
  outer: ArchiveCompression,
  paths: { zstd?: string; gzip?: string },
  file: string,
): { cmd: string; args: string[] } | undefined {
  if (outer === 'none') return undefined;
  if (outer === 'zstd') {
    if (!paths.zstd) throw new Error(`${file} is zstd-compressed and zstd is not installed: install the zstd package`);
    return { cmd: paths.zstd, args: ['-d', '-q', '-c', '--', file] };
  }
  if (!paths.gzip) throw new Error(`${file} is gzip-compressed and gzip is not installed`);
  return { cmd: paths.gzip, args: ['-d', '-c', '--', file] };
}
