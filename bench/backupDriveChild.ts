// Child of bench/backup.ts: uploads one file to the fake Drive and prints its peak RSS, so that
// the figure is the uploading process's own (the fake server runs in the parent).
import { openDrive, uploadBackup } from '../src/core/backup/driveClient';

const [file, rootUrl, token] = process.argv.slice(2);
void (async () => {
  const baseline = process.resourceUsage().maxRSS;
  const drive = await openDrive({ accessToken: token, rootUrl });
  const t0 = Date.now();
  const up = await uploadBackup(drive, file!, 'bench-folder');
  process.stdout.write(JSON.stringify({ ms: Date.now() - t0, baselineKB: baseline, maxRssKB: process.resourceUsage().maxRSS, md5: up.md5Checksum }) + '\n');
})();
