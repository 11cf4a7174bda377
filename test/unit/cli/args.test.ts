// The CLI's three option readers take "--" as the end of options: a file named like an option is
// a file, never an option (names are data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackupUsageError, parseArgs } from '../../../src/cli/backupArgs';
import { parseLintArgs } from '../../../src/cli/lintArgs';

test('parseArgs: after --, every word is positional, options before it still count', () => {
  const p = parseArgs(['--since', '24h', '--', '--until', '-h', '--state=x', 'a.log'], ['since', 'until', 'state'], ['accept-new-host-key']);
  assert.deepEqual(p.positional, ['--until', '-h', '--state=x', 'a.log']);
  assert.equal(p.options.get('since'), '24h');
  assert.equal(p.options.has('until'), false);
  assert.equal(p.flags.has('help'), false);
  // Without --, the same word is an option, and an unknown one is refused.
  assert.throws(() => parseArgs(['--weird.log'], ['since'], []), BackupUsageError);
});

test('parseLintArgs: after --, every word is a file', () => {
  const r = parseLintArgs(['--format', 'json', '--', '--format', '-h']);
  assert.deepEqual(r.files, ['--format', '-h']);
  assert.equal(r.format, 'json');
  assert.equal(r.help, false);
});
