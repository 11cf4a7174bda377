// Temp files of pgdba's jobs are hidden names in the job's directory carrying the PID that
// made them: `.<file>.<tag>-<pid>-<time>.tmp`. A job that was SIGKILLed cannot clean up after
// itself; the next job in that directory does, touching only temps whose process is gone. Every
// temp pgdba makes is named by naming.ts's tempPathFor (dump parts, unpacked copies, downloads,
// manifests); earlier versions wrote manifests to `.<time>-<pid>.manifest.tmp`, swept too.
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP_RES = [/^\..+\.[a-z]+-(\d+)-[0-9a-z]+\.tmp$/, /^\.[0-9a-z]+-(\d+)\.manifest\.tmp$/];

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

export async function sweepStaleTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_RES.map((re) => re.exec(name)).find(Boolean);
    if (!m || pidAlive(Number(m[1]))) continue;
    await unlink(join(dir, name)).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}
