// One read serves the callers that ask at once or within SHARED_READ_MS; later ones, other keys,
// other machines and a failed read each get a read of their own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHARED_READ_MS, sharedRead } from '../../../../src/core/host/sharedRead';
import { localHost } from '../../../../src/core/host/localHost';
import type { HostAccess } from '../../../../src/core/host/hostAccess';

test('shared while in flight and for a moment after; not across keys, machines, time or a failure', async () => {
  let reads = 0;
  const read = () => Promise.resolve(++reads);
  const t0 = 1_000_000;
  const [a, b] = await Promise.all([sharedRead(localHost, 'k', read, t0), sharedRead(localHost, 'k', read, t0 + 1)]);
  assert.deepEqual([a, b, reads], [1, 1, 1]);
  assert.equal(await sharedRead(localHost, 'other', read, t0 + 2), 2, 'another key reads');
  const elsewhere: HostAccess = { ...localHost }; // another machine's access object
  assert.equal(await sharedRead(elsewhere, 'k', read, t0 + 3), 3, 'another machine reads');
  assert.equal(await sharedRead(localHost, 'k', read, t0 + SHARED_READ_MS), 4, 'too old: read again');
  await assert.rejects(sharedRead(localHost, 'bad', () => Promise.reject(new Error('no')), t0 + SHARED_READ_MS));
  assert.equal(await sharedRead(localHost, 'bad', read, t0 + SHARED_READ_MS + 1), 5, 'a failure is not kept');
});
