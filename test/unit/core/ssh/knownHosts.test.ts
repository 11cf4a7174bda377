// known_hosts as ssh reads it: plain, [host]:port, hashed and revoked entries; fingerprints as ssh prints them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { checkHostKey, fingerprint, keyType, knownHostsLine } from '../../../../src/core/ssh/knownHosts';
import { tempDir } from '../../../support/tempDir';

function sshString(s: string | Buffer): Buffer {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
  const n = Buffer.alloc(4);
  n.writeUInt32BE(b.length);
  return Buffer.concat([n, b]);
}
const blob = (seed: string) => Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.alloc(32, seed))]);
const A = blob('a');
const B = blob('b');
const b64 = (k: Buffer) => k.toString('base64');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

test('plain and [host]:port entries: known, unknown, changed with the old key', () => {
  const text = `# comment\ndb1,10.0.0.5 ssh-ed25519 ${b64(A)}\n[db1]:2222 ssh-ed25519 ${b64(B)}\n`;
  assert.deepEqual(checkHostKey(text, 'db1', 22, A), { kind: 'known' });
  assert.deepEqual(checkHostKey(text, '10.0.0.5', 22, A), { kind: 'known' });
  assert.deepEqual(checkHostKey(text, 'db1', 2222, B), { kind: 'known' });
  assert.deepEqual(checkHostKey(text, 'db2', 22, A), { kind: 'unknown' });
  const v = checkHostKey(text, 'db1', 2222, A);
  assert.equal(v.kind, 'changed');
  assert.equal(v.kind === 'changed' && v.old[0]?.line, 3);
});

test('hashed names match their host only; @revoked refuses the key for any host; patterns with !', () => {
  const text = [`${hashed('[127.0.0.1]:2200')} ssh-ed25519 ${b64(A)}`, `@revoked * ssh-ed25519 ${b64(B)}`, `*.ex.com,!bad.ex.com ssh-ed25519 ${b64(A)}`].join(
    '\n',
  );
  assert.deepEqual(checkHostKey(text, '127.0.0.1', 2200, A), { kind: 'known' });
  assert.deepEqual(checkHostKey(text, '127.0.0.1', 22, A), { kind: 'unknown' });
  assert.deepEqual(checkHostKey(text, 'x', 22, B), { kind: 'revoked', line: 2 });
  assert.deepEqual(checkHostKey(text, 'db.ex.com', 22, A), { kind: 'known' });
  assert.deepEqual(checkHostKey(text, 'bad.ex.com', 22, A), { kind: 'unknown' });
});

test('fingerprint is what ssh-keygen -l prints; the line written is hashed, and one ssh-keygen -F finds', (t) => {
  const dir = tempDir('knownhosts', t);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
  const pub = readFileSync(join(dir, 'k.pub'), 'utf8').split(' ');
  const key = Buffer.from(pub[1]!, 'base64');
  assert.equal(keyType(key), 'ssh-ed25519');
  const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')], { encoding: 'utf8' }).split(' ')[1];
  assert.equal(fingerprint(key), printed);
  const file = join(dir, 'known_hosts');
  const line = knownHostsLine('127.0.0.1', 2200, key);
  writeFileSync(file, line);
  const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2200', '-f', file], { encoding: 'utf8' });
  assert.match(found, /ssh-ed25519/);
  // Hashed, with a salt of its own each time: the host is not in the file.
  assert.match(line, /^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}= ssh-ed25519 /);
  assert.ok(!line.includes('127.0.0.1'), line);
  assert.notEqual(knownHostsLine('127.0.0.1', 2200, key).split(' ')[0], line.split(' ')[0]);
  assert.deepEqual(checkHostKey(line, '127.0.0.1', 2200, key), { kind: 'known' });
  assert.throws(() => keyType(Buffer.from([0, 0, 1, 0])), /malformed/);
});
