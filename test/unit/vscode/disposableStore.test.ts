// The store panels and runs keep their disposables in (src/vscode/disposableStore.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DisposableStore } from '../../../src/vscode/disposableStore';

const counted = (log: string[], name: string) => ({ dispose: () => void log.push(name) });

test('everything added is disposed once with the store; a dropped item is not; a late one is disposed at once', () => {
  const log: string[] = [];
  const store = new DisposableStore();
  store.add(counted(log, 'a'));
  const run = store.add(counted(log, 'run'));
  store.add(counted(log, 'b'));
  assert.equal(store.size, 3);
  store.delete(run); // the run ended on its own
  assert.equal(store.size, 2);
  assert.deepEqual(log, []);
  store.dispose();
  store.dispose();
  assert.deepEqual(log, ['a', 'b']);
  assert.equal(store.size, 0);
  store.add(counted(log, 'late'));
  assert.deepEqual(log, ['a', 'b', 'late']);
  assert.equal(store.size, 0);
});
