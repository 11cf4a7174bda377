import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalJson, terminalText } from '../../../src/core/terminalText';

test('terminalText writes C0, DEL, C1 and bidi controls as visible escapes', () => {
  assert.equal(terminalText('a\u001b]0;PWNED\u0007\u001b[2Jb'), 'a\\x1b]0;PWNED\\x07\\x1b[2Jb');
  assert.equal(terminalText('x\ny\tz\r\u007f\u009b\u202e\u2066\u200f'), 'x\\ny\\tz\\r\\x7f\\x9b\\u202e\\u2066\\u200f');
  assert.equal(terminalText('line 1\nline\u001b 2\tx', { lines: true }), 'line 1\nline\\x1b 2\\tx');
  assert.equal(terminalText('C:\\pg\\data é λ ☁ plain'), 'C:\\pg\\data é λ ☁ plain', 'printable text, backslashes included, is left alone');
});

test('terminalJson leaves nothing raw and parses back to the same value', () => {
  const value = { s: '\u001b[2J\u007f\u009b\u202e\u2069 ok' };
  const out = terminalJson(value);
  assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2069]/);
  assert.deepEqual(JSON.parse(out), value);
});
