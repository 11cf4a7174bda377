// The hardware profile a server's file is linted with: the settings first, then what the
// server's machine said of itself (host facts), and never this machine's disk for a remote one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveHardware, withHostFacts } from '../../../../src/core/lint/hardwareInput';
import { lintPostgresqlConf } from '../../../../src/core/lint/postgresqlConf';
import { HARDWARE_CODE } from '../../../../src/core/lint/confHardwareRules';

const GB = 2 ** 30;
const host = { ramBytes: 64 * GB, cpus: 16, rotational: true };

test('host facts fill what the settings leave unset; the settings still override', () => {
  assert.deepEqual(withHostFacts({ workload: 'web' }, host), { workload: 'web', ramBytes: 64 * GB, cpus: 16, storage: 'hdd' });
  assert.deepEqual(withHostFacts({ ramBytes: 4 * GB, storage: 'san' }, host), { ramBytes: 4 * GB, cpus: 16, storage: 'san' });
  // A disk the facts could not tell is hardware.ts's default, not this machine's.
  assert.equal(withHostFacts({}, { ...host, rotational: null }).storage, 'ssd');
  // Nothing known: the input as it was, so a remote file without settings gets no recommendations.
  assert.deepEqual(withHostFacts({ cpus: 2 }, { ramBytes: null, cpus: null, rotational: null }), { cpus: 2 });
  assert.equal(resolveHardware(withHostFacts({}, undefined), false), undefined);
});

test("a file linted with the host's 64 GB: shared_buffers is judged against it", () => {
  const hardware = resolveHardware(withHostFacts({ pgVersion: 16 }, host), false);
  assert.equal(hardware?.ramBytes, 64 * GB);
  const text = 'shared_buffers = 128MB\nmax_connections = 100\n';
  const found = lintPostgresqlConf(text, { file: 'postgresql.conf', major: 16, hardware }).filter(
    (f) => f.code === HARDWARE_CODE && f.message.startsWith('shared_buffers'),
  );
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(found[0]!.message, /for 64 GB RAM, 16 CPUs, HDD, mixed set 16GB/);
});
