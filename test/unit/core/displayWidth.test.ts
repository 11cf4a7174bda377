// Display width as psql counts it: CJK two columns, combining marks none, emoji two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth, indexOfColumn, sliceColumns } from '../../../src/core/displayWidth';

test('columns, not UTF-16 units', () => {
  assert.equal(displayWidth('abc'), 3);
  assert.equal(displayWidth('客人'), 4);
  assert.equal(displayWidth('한국어'), 6);
  assert.equal(displayWidth('ｆｕｌｌ'), 8, 'fullwidth forms');
  assert.equal(displayWidth('e\u0301'), 1, 'a combining accent takes no column');
  assert.equal(displayWidth('😀'), 2, 'one emoji, two units, two columns');
  assert.equal(displayWidth('𠀀'), 2, 'a CJK character outside the BMP');
  assert.equal(displayWidth('─│┌═║'), 5, "psql's rules are one column each");
  assert.equal(displayWidth('\u00ad'), 0);
});

test('slicing by columns', () => {
  const s = "| guest = '客人' |";
  assert.equal(indexOfColumn(s, 10), 10);
  assert.equal(indexOfColumn(s, 13), 12, 'past the first CJK character');
  assert.equal(sliceColumns(s, 2, 16), "guest = '客人'");
  assert.equal(sliceColumns(s, 17), '|');
  assert.equal(sliceColumns('ab', 5), '');
  assert.equal(sliceColumns('ae\u0301b', 1, 2), 'e\u0301', 'a combining mark goes with its letter');
});
