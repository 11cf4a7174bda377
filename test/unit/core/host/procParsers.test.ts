// The /proc, os-release, df and `head -v` parsers on text captured from a real machine
// (test/fixtures/host/: a 2-CPU Debian 12 VM with one virtio disk), and the edges each must hold.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDfOutput } from '../../../../src/core/host/diskSpace';
import { hostSourceFor } from '../../../../src/core/host/facts';
import {
  parseCpusAllowed,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseOsRelease,
  parseProcStat,
  parseUptime,
  splitHeadOutput,
} from '../../../../src/core/host/procParsers';
import { splitDeviceNumber } from '../../../../src/core/host/rotational';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'host', name), 'utf8');

test('meminfo: MemTotal and the rest in bytes; page cache counts SReclaimable as free(1) does', () => {
  const m = parseMeminfo(fixture('meminfo.txt'));
  assert.equal(m.totalBytes, 24683652 * 1024);
  assert.equal(m.availableBytes, 23250512 * 1024);
  assert.equal(m.freeBytes, 21543288 * 1024);
  assert.equal(m.buffersBytes, 31036 * 1024);
  assert.equal(m.cachedBytes, (1334792 + 690204) * 1024);
  assert.deepEqual(parseMeminfo('garbage\nMemFree: x kB\n'), {});
});

test('stat: the aggregate line split into busy and idle ticks; CPUs from the cpuN lines', () => {
  const s = parseProcStat(fixture('stat.txt'));
  assert.equal(s.cpus, 2);
  // user nice system idle iowait irq softirq steal = 2222395 15880 382763 1411975 5089 0 13946 77110
  assert.deepEqual(s.total, { busy: 2222395 + 15880 + 382763 + 0 + 13946 + 77110, idle: 1411975 + 5089, iowait: 5089 });
  assert.deepEqual(parseProcStat('intr 1 2 3\n'), { cpus: 0 });
});

test("the reading process's allowed CPUs, as nproc counts them", () => {
  assert.equal(parseCpusAllowed('Name:\thead\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n'), 2);
  assert.equal(parseCpusAllowed('Cpus_allowed_list:\t0-3,8,10-11\n'), 7);
  assert.equal(parseCpusAllowed('Cpus_allowed_list:\t3-1\n'), undefined);
  assert.equal(parseCpusAllowed('Name:\tx\n'), undefined);
});

test('loadavg and uptime', () => {
  assert.deepEqual(parseLoadavg(fixture('loadavg.txt')), { one: 11.55, five: 6.48, fifteen: 3.5 });
  assert.equal(parseUptime(fixture('uptime.txt')), 20672);
  assert.equal(parseLoadavg(''), undefined);
  assert.equal(parseUptime('up'), undefined);
});

test('diskstats: whole disks only — loop and zram skipped, partitions and dm/md not counted twice', () => {
  assert.deepEqual(parseDiskstats(fixture('diskstats.txt')), { reads: 575510, sectorsRead: 28555074, writes: 351780, sectorsWritten: 66476360 });
  // A laptop's layout in the kernel's format: a SATA disk with partitions, an NVMe with one, LVM on top.
  const laptop = [
    '   8       0 sda 100 0 800 0 50 0 400 0 0 0 0 0 0 0 0 0 0',
    '   8       1 sda1 60 0 480 0 30 0 240 0 0 0 0 0 0 0 0 0 0',
    ' 259       0 nvme0n1 10 0 80 0 5 0 40 0 0 0 0',
    ' 259       1 nvme0n1p1 10 0 80 0 5 0 40 0 0 0 0',
    ' 253       0 dm-0 70 0 560 0 35 0 280 0 0 0 0',
    '   9       0 md0 70 0 560 0 35 0 280 0 0 0 0',
    'short line',
  ].join('\n');
  assert.deepEqual(parseDiskstats(laptop), { reads: 110, sectorsRead: 880, writes: 55, sectorsWritten: 440 });
});

test('os-release: PRETTY_NAME unquoted; NAME and VERSION without it', () => {
  assert.equal(parseOsRelease(fixture('os-release.txt')), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(parseOsRelease('NAME="Alpine Linux"\nVERSION=3.19\n'), 'Alpine Linux 3.19');
  assert.equal(parseOsRelease('PRETTY_NAME=\'A "q"\'\n'), 'A "q"');
  assert.equal(parseOsRelease('# nothing\n'), undefined);
});

test('df -P -B1: total and available of each path, mount points with spaces too', () => {
  assert.deepEqual(parseDfOutput(fixture('df.txt'), ['/tmp']), [{ path: '/tmp', totalBytes: 270553174016, freeBytes: 75550748672 }]);
  const spaced = 'Filesystem 1-blocks Used Available Capacity Mounted on\n/dev/sdb1 1000 400 600 40% /mnt/my disk\n';
  assert.deepEqual(parseDfOutput(spaced, ['/mnt/my disk/x']), [{ path: '/mnt/my disk/x', totalBytes: 1000, freeBytes: 600 }]);
  assert.throws(() => parseDfOutput('Filesystem\n', ['/x']), /df printed no sizes for \/x/);
});

test('head -v output: each file asked for, a look-alike header inside a file does not cut it, a missing one absent', () => {
  const files = splitHeadOutput(fixture('head-v.txt'), ['/proc/loadavg', '/proc/uptime', '/etc/hostname', '/missing']);
  assert.equal(files.get('/proc/loadavg'), '11.55 6.48 3.50 5/391 12285\n');
  assert.equal(files.get('/proc/uptime'), '20672.98 14119.75\n');
  assert.equal(files.get('/etc/hostname'), 'vm\n');
  assert.equal(files.has('/missing'), false);
  const tricky = '==> /a <==\nx\n==> /c <==\ny\n\n==> /b <==\nz';
  const m = splitHeadOutput(tricky, ['/a', '/b']);
  assert.equal(m.get('/a'), 'x\n==> /c <==\ny\n');
  assert.equal(m.get('/b'), 'z');
});

test('device numbers split as glibc does; the source of a profile', () => {
  assert.deepEqual(splitDeviceNumber(65024), { major: 254, minor: 0 });
  assert.deepEqual(splitDeviceNumber(2049), { major: 8, minor: 1 });
  assert.deepEqual(splitDeviceNumber((259 << 8) | 3 | (1 << 20)), { major: 259, minor: 3 + 256 });
  assert.equal(hostSourceFor({ host: 'localhost' }), 'local');
  assert.equal(hostSourceFor({ host: '/var/run/postgresql' }), 'local');
  assert.equal(hostSourceFor({ host: 'db1.example.com' }), 'sql');
  assert.equal(hostSourceFor({ host: 'localhost', ssh: 'deploy@db1' }), 'ssh');
});

test('parsers stay linear on a large input and keep to their line bound', () => {
  const big = 'cpu0 1 2 3 4\n'.repeat(200_000);
  assert.equal(parseProcStat(big).cpus, 20_000);
  assert.deepEqual(parseDiskstats('x\n'.repeat(100_000)), { reads: 0, writes: 0, sectorsRead: 0, sectorsWritten: 0 });
});
