// The host charts' values from two reads of the machine: CPU busy and disk rates as deltas (a
// counter going backwards, a reboot, is a gap), memory as used and page cache; and one real
// read of this machine through the local HostAccess, in one command.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hostPoint, readHostSample, type HostSample } from '../../../../src/core/dashboard/hostSample';
import type { ExecOptions, HostAccess } from '../../../../src/core/host/hostAccess';
import { localHost } from '../../../../src/core/host/localHost';
import { parseMeminfo, parseProcStat } from '../../../../src/core/host/procParsers';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'host', name), 'utf8');
const GB = 2 ** 30;

function sample(atMs: number, busy: number, idle: number, reads: number, writes: number): HostSample {
  return {
    atMs,
    cpu: { busy, idle, iowait: 0 },
    mem: parseMeminfo(fixture('meminfo.txt')),
    load: { one: 0.5, five: 0.4, fifteen: 0.3 },
    disk: { reads, writes, sectorsRead: 0, sectorsWritten: 0 },
  };
}

test('two reads: CPU busy share, disk operations per second, memory used and page cache', () => {
  const cpu = parseProcStat(fixture('stat.txt')).total!;
  const a = sample(0, cpu.busy, cpu.idle, 575510, 351780);
  const b = sample(2000, cpu.busy + 150, cpu.idle + 50, 575510 + 40, 351780 + 100);
  const p = hostPoint(b, a);
  assert.equal(p.hostCpuBusyPct, 75);
  assert.equal(p.hostDiskReadsPerSec, 20);
  assert.equal(p.hostDiskWritesPerSec, 50);
  assert.equal(p.hostMemTotalBytes, 24683652 * 1024);
  assert.equal(p.hostMemUsedBytes, (24683652 - 23250512) * 1024);
  assert.equal(p.hostPageCacheBytes, (1334792 + 690204 + 31036) * 1024);
  assert.equal(p.hostLoad1, 0.5);
});

test('the first read and a reboot (counters backwards) give gaps, never a negative rate', () => {
  const a = sample(0, 1000, 1000, 500, 500);
  assert.deepEqual([hostPoint(a).hostCpuBusyPct, hostPoint(a).hostDiskReadsPerSec], [null, null]);
  const rebooted = sample(2000, 10, 10, 5, 5);
  const p = hostPoint(rebooted, a);
  assert.deepEqual([p.hostCpuBusyPct, p.hostDiskReadsPerSec, p.hostDiskWritesPerSec], [null, null, null]);
  assert.notEqual(p.hostMemUsedBytes, null, 'gauges are still shown');
});

test('this machine in one command: /proc/stat, meminfo, loadavg and diskstats', async () => {
  let calls = 0;
  const counting: HostAccess = { ...localHost, exec: (argv: readonly string[], o: ExecOptions) => (calls++, localHost.exec(argv, o)) };
  const s = await readHostSample(counting, 5000);
  assert.equal(calls, 1);
  assert.equal(s.mem.totalBytes, parseMeminfo(readFileSync('/proc/meminfo', 'utf8')).totalBytes);
  assert.ok(s.cpu && s.cpu.busy > 0 && s.load && s.disk);
  assert.ok((s.mem.totalBytes ?? 0) > 0.1 * GB);
});
