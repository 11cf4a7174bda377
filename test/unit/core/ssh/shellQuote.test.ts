// The one quoting of command words for the remote shell, held to a real POSIX shell: every hostile
// word arrives as exactly one literal argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shellCommand } from '../../../../src/core/ssh/shellQuote';
import { shellQuote } from '../../../../src/core/shellQuote';
import { HOSTILE_WORDS } from '../../../support/hostileWords';

test('every hostile word reaches the command as one literal argument of /bin/sh and dash', () => {
  for (const shell of ['/bin/sh', '/bin/dash', '/bin/bash']) {
    const out = execFileSync(shell, ['-c', `printf '%s\\0' ${HOSTILE_WORDS.map(shellQuote).join(' ')}`]);
    assert.deepEqual(out.toString('utf8').split('\0').slice(0, -1), HOSTILE_WORDS, shell);
  }
});

test('shellCommand quotes every word, the command name too; NUL and an empty argv refused', () => {
  assert.equal(shellCommand(['ls', '-l', "a b'c"]), `exec 'ls' '-l' 'a b'\\''c'`);
  assert.equal(execFileSync('/bin/sh', ['-c', shellCommand(['printf', '%s|', 'x y', '$HOME'])], { encoding: 'utf8' }), 'x y|$HOME|');
  assert.throws(() => shellQuote('a\u0000b'), /NUL/);
  assert.throws(() => shellCommand([]), /empty/);
});
