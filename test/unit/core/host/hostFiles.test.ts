// A failed command's words over SSH: the command's own line, not the lines sshd writes before it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandError } from '../../../../src/core/host/hostFiles';

test("a failed command's line is its own, not sshd's note before it (a user without a home)", () => {
  // As an exec channel of Debian's sshd gave it for a user whose home is /nonexistent (the e2e rig's).
  const stderr = "Could not chdir to home directory /nonexistent: No such file or directory\nfind: '/srv/pg/data/log': Permission denied\n";
  assert.equal(commandError('find', stderr), "find: '/srv/pg/data/log': Permission denied");
  assert.equal(commandError('/usr/bin/find', stderr), "find: '/srv/pg/data/log': Permission denied");
  // A command that names itself nowhere: the first line, as before; nothing: empty (the caller says the exit code).
  assert.equal(commandError('head', 'something went wrong\nand more'), 'something went wrong');
  assert.equal(commandError('find', ''), '');
});
