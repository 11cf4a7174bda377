// One read of a machine serving every caller that asks for the same thing at once: a report over
// many clusters on one host (the seed's 25 hotels on a machine, or the bench's) reads its /proc
// files and a disk's sysfs verdict once, not once per server, each read being a child process
// (or an SSH channel) that a loaded machine pays for. In flight or younger than SHARED_READ_MS,
// a read is shared; a failed one is not kept.
import type { HostAccess } from './hostAccess';

export const SHARED_READ_MS = 2000;

type Reads = Map<string, { at: number; value: Promise<unknown> }>;
const reads = new WeakMap<HostAccess, Reads>();

export function sharedRead<T>(host: HostAccess, key: string, read: () => Promise<T>, now = Date.now()): Promise<T> {
  let byKey = reads.get(host);
  if (!byKey) reads.set(host, (byKey = new Map() as Reads));
  for (const [k, e] of byKey) if (now - e.at >= SHARED_READ_MS) byKey.delete(k); // bounded: only the last moments' reads stay
  const hit = byKey.get(key);
  if (hit) return hit.value as Promise<T>;
  const value = read();
  const entry = { at: now, value };
  byKey.set(key, entry);
  value.catch(() => {
    if (byKey.get(key) === entry) byKey.delete(key);
  });
  return value;
}
