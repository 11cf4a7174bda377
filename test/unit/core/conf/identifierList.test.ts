import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitIdentifierList } from '../../../../src/core/conf/identifierList';

test('splitIdentifierList: items, quotes, case and blanks as the server splits a list', () => {
  assert.deepEqual(splitIdentifierList(''), []);
  assert.deepEqual(splitIdentifierList(' \t'), []);
  assert.deepEqual(splitIdentifierList(' a , B '), ['a', 'b']);
  assert.deepEqual(splitIdentifierList('"$user", Public'), ['$user', 'public']);
  assert.deepEqual(splitIdentifierList('"My ""Schema"""'), ['My "Schema"']);
  assert.deepEqual(splitIdentifierList('""'), ['']);
  assert.equal(splitIdentifierList('x'.repeat(70))?.[0]?.length, 63);
  for (const bad of [',', 'a,', ',a', 'a,,b', 'a b', '"a', '"a"b', 'a\tb']) assert.equal(splitIdentifierList(bad), undefined, bad);
});

test('splitIdentifierList: a long hostile value is split in one pass', () => {
  assert.equal(splitIdentifierList('a,'.repeat(200_000) + 'a')?.length, 200_001);
  assert.equal(splitIdentifierList('"'.repeat(400_001)), undefined);
});
