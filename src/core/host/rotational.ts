// Whether a directory's file system sits on a spinning disk, as far as sysfs says: the
// directory's device number (stat), its node under /sys/dev/block, the whole disk of a
// partition, and the disks under a dm (LVM, LUKS) or md (RAID) device. Anything sysfs does not
// say — no block device (overlay, tmpfs, NFS), no queue/rotational — is unknown, with why.
import type { HostAccess } from './hostAccess';
import { hostOutput, readHostFiles } from './hostFiles';
import { sharedRead } from './sharedRead';

export type Rotational = { rotational: boolean } | { rotational: null; reason: string };

/** Stacked devices deeper than this (dm on md on dm …) are not followed further. */
const MAX_DEPTH = 4;
/** Devices under one stack at most (a RAID of many disks). */
const MAX_DEVICES = 64;

/** st_dev as glibc splits it (major 12 bits + high, minor 8 + 12 bits). */
export function splitDeviceNumber(dev: number): { major: number; minor: number } {
  const hi = Math.floor(dev / 2 ** 32);
  const lo = dev >>> 0;
  return { major: ((lo >>> 8) & 0xfff) | (hi & ~0xfff), minor: (lo & 0xff) | ((lo >>> 12) & 0xfff00) };
}

/**
 * A device's verdict: a partition's from its disk (the parent directory, which the kernel
 * resolves through the /sys/dev/block symlink), a dm/md device's from the devices below it
 * (slaves: any spinning one makes it rotational), else its own queue/rotational.
 */
async function deviceRotational(host: HostAccess, sysPath: string, timeoutMs: number, depth: number, budget: { left: number }): Promise<boolean | undefined> {
  if (--budget.left < 0) return undefined;
  const [files, slaves] = await Promise.all([
    readHostFiles(host, [`${sysPath}/partition`, `${sysPath}/queue/rotational`, `${sysPath}/../queue/rotational`], timeoutMs),
    depth < MAX_DEPTH
      ? host
          .exec(['ls', '-1', '--', `${sysPath}/slaves`], { timeoutMs, maxBytes: 64 * 1024 })
          .then((r) => (r.code === 0 ? r.stdout.toString('utf8').split('\n') : []).filter((s) => /^[\w.:-]+$/.test(s)))
      : Promise.resolve([]),
  ]);
  const flag = (path: string) => {
    const f = files.get(path)?.trim();
    return f === '1' ? true : f === '0' ? false : undefined;
  };
  if (files.has(`${sysPath}/partition`)) return flag(`${sysPath}/../queue/rotational`);
  if (slaves.length) {
    const below: (boolean | undefined)[] = [];
    for (const s of slaves) below.push(await deviceRotational(host, `/sys/class/block/${s}`, timeoutMs, depth + 1, budget));
    if (below.some((b) => b === true)) return true;
    if (below.every((b) => b === false)) return false;
    return undefined;
  }
  return flag(`${sysPath}/queue/rotational`);
}

export async function readRotational(host: HostAccess, dir: string, timeoutMs: number): Promise<Rotational> {
  let dev: number;
  try {
    dev = Number((await hostOutput(host, ['stat', '-L', '-c', '%d', '--', dir], timeoutMs)).trim());
  } catch (e) {
    return { rotational: null, reason: (e as Error).message };
  }
  if (!Number.isSafeInteger(dev)) return { rotational: null, reason: `stat gave no device number for ${dir}` };
  const { major, minor } = splitDeviceNumber(dev);
  if (major === 0) return { rotational: null, reason: `${dir} is on a file system without a block device (overlay, tmpfs, NFS …)` };
  try {
    // Clusters on one disk share its verdict (sharedRead): the sysfs walk is per device, not per directory.
    const r = await sharedRead(host, `rotational:${major}:${minor}`, () =>
      deviceRotational(host, `/sys/dev/block/${major}:${minor}`, timeoutMs, 0, { left: MAX_DEVICES }),
    );
    return r === undefined ? { rotational: null, reason: `sysfs does not say whether device ${major}:${minor} (${dir}) rotates` } : { rotational: r };
  } catch (e) {
    return { rotational: null, reason: (e as Error).message };
  }
}
