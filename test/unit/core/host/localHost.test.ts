import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { localHost } from '../../../../src/core/host/localHost';
import { tempDir } from '../../../support/tempDir';

test('exec runs argv without a shell: a word with $() and ; stays one word', async () => {
  const r = await localHost.exec(['printf', '%s|', 'a; echo b', '$(id)'], { timeoutMs: 5000 });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.toString(), 'a; echo b|$(id)|');
});

test('exec passes stdin and reports the exit code', async () => {
  const r = await localHost.exec(['sh', '-c', 'cat; exit 3'], { timeoutMs: 5000, stdin: Buffer.from('hi') });
  assert.equal(r.code, 3);
  assert.equal(r.stdout.toString(), 'hi');
});

test('exec kills a command past its deadline and says so', async () => {
  await assert.rejects(localHost.exec(['sleep', '5'], { timeoutMs: 200 }), /did not finish within/);
});

test('exec refuses output past maxBytes instead of truncating', async () => {
  await assert.rejects(localHost.exec(['head', '-c', '5000', '/dev/zero'], { timeoutMs: 5000, maxBytes: 1000 }), /more than 1000 bytes/);
});

test('readFile honours offset and maxBytes; stat of a missing path is undefined', async (t) => {
  const dir = tempDir('localhost', t);
  const f = join(dir, 'a.txt');
  writeFileSync(f, 'hello world');
  assert.equal((await localHost.readFile(f, { maxBytes: 100, offset: 6 })).toString(), 'world');
  await assert.rejects(localHost.readFile(f, { maxBytes: 3 }), /11 bytes, more than the 3/);
  assert.equal(await localHost.stat(join(dir, 'missing')), undefined);
  const st = await localHost.stat(f);
  assert.equal(st?.size, 11);
  assert.equal(st?.isFile, true);
  assert.equal(st?.ino, statSync(f).ino);
});

test('readFile with a length reads a chunk of a file larger than maxBytes, fewer bytes at the end', async (t) => {
  const dir = tempDir('localhost', t);
  const f = join(dir, 'big.txt');
  writeFileSync(f, 'hello world');
  assert.equal((await localHost.readFile(f, { maxBytes: 4, offset: 2, length: 4 })).toString(), 'llo ');
  assert.equal((await localHost.readFile(f, { maxBytes: 4, offset: 9, length: 4 })).toString(), 'ld');
  assert.equal((await localHost.readFile(f, { maxBytes: 4, offset: 20, length: 4 })).length, 0);
});

test('writeFile creates with the mode; rename and unlink work; unlink of a missing file is fine', async (t) => {
  const dir = tempDir('localhost', t);
  const f = join(dir, 'b.txt');
  await localHost.writeFile(f, Buffer.from('x'), { mode: 0o640 });
  assert.equal(statSync(f).mode & 0o777, 0o640);
  await localHost.rename(f, join(dir, 'c.txt'));
  assert.equal(readFileSync(join(dir, 'c.txt'), 'utf8'), 'x');
  await localHost.unlink(join(dir, 'c.txt'));
  await localHost.unlink(join(dir, 'c.txt'));
  assert.equal(await localHost.stat(join(dir, 'c.txt')), undefined);
});

test('readFile reads a file whose stat says 0 bytes (procfs) to its end', async () => {
  const text = (await localHost.readFile('/proc/meminfo', { maxBytes: 1024 * 1024 })).toString();
  assert.match(text, /^MemTotal:\s+\d+ kB$/m);
  await assert.rejects(localHost.readFile('/proc/meminfo', { maxBytes: 10 }), /more than the 10 this read allows/);
});

test('readFile with a length reads one chunk and never fails on the size', async (t) => {
  const dir = tempDir('localhost', t);
  const f = join(dir, 'big.log');
  writeFileSync(f, 'x'.repeat(5000));
  assert.equal((await localHost.readFile(f, { maxBytes: 1000, offset: 100, length: 300 })).length, 300);
  assert.equal((await localHost.readFile(f, { maxBytes: 1000, offset: 4900, length: 300 })).length, 100);
});
