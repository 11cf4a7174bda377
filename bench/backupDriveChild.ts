// Child of bench/backup.ts: uploads one file to the fake Drive and prints its peak RSS, so that
// the figure is the uploading process's own (the fake server runs in the parent).
import { readFileSync } from 'node:fs';
import { openDrive, uploadBackup } from '../src/core/backup/driveClient';

/** Peak RSS of this process image, in kB. Not resourceUsage().maxRSS: Linux carries ru_maxrss
 *  across exec, so a child would report its parent's peak. */
function peakRssKB(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
}

const [file, rootUrl, token] = process.argv.slice(2);
void (async () => {
  const baseline = peakRssKB();
  const drive = await openDrive({ accessToken: token, rootUrl });
  const t0 = Date.now();
  const chunkSize = process.env.PGDBA_BENCH_CHUNK_MB ? Number(process.env.PGDBA_BENCH_CHUNK_MB) * 1048576 : undefined;
  const up = await uploadBackup(drive, file!, 'bench-folder', { chunkSize });
  process.stdout.write(JSON.stringify({ ms: Date.now() - t0, baselineKB: baseline, maxRssKB: peakRssKB(), md5: up.md5Checksum }) + '\n');
})();
