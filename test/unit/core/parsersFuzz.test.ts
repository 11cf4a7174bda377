// Every parser under random, mutated and adversarial input at a small count (a few seconds):
// returns or throws its own parse error, never a RangeError/TypeError, heap linear in the input.
// The long run is `npm run fuzz`. Replay a failure with PGDBA_FUZZ_SEED=<seed>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FUZZ_TARGETS, fuzzParsers } from '../../support/parserFuzz';

const SEED = Number(process.env.PGDBA_FUZZ_SEED) || 20261201;

for (const target of FUZZ_TARGETS) {
  test(`fuzz ${target}: 60 cases, seed ${SEED}`, async () => {
    const r = await fuzzParsers({ seed: SEED, count: 60, targets: [target] });
    assert.equal(r.cases, 60);
    assert.deepEqual(r.failures, [], `seed ${SEED}: ${JSON.stringify(r.failures.slice(0, 3))}`);
  });
}
