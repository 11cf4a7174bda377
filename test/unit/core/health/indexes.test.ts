// Index defects' statements: the CREATE made concurrent, the drop-and-rebuild of an invalid index,
// the index a foreign key needs; every name quoted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concurrentDefinition, foreignKeyIndexFix, invalidIndexFix } from '../../../../src/core/health/indexes';

test('concurrentDefinition: CREATE [UNIQUE] INDEX gets CONCURRENTLY, nothing else moves', () => {
  assert.equal(concurrentDefinition('CREATE INDEX a ON public.t USING btree (x)'), 'CREATE INDEX CONCURRENTLY a ON public.t USING btree (x)');
  assert.equal(
    concurrentDefinition('CREATE UNIQUE INDEX "CREATE INDEX " ON public.t USING btree (x)'),
    'CREATE UNIQUE INDEX CONCURRENTLY "CREATE INDEX " ON public.t USING btree (x)',
  );
});

test('an invalid index: DROP INDEX CONCURRENTLY, then its concurrent rebuild', () => {
  const lines = invalidIndexFix({
    schema: 'Hotel',
    index: 'guests"email',
    definition: 'CREATE UNIQUE INDEX "guests""email" ON "Hotel".guests USING btree (email)',
  }).split('\n');
  assert.equal(lines[0], 'DROP INDEX CONCURRENTLY "Hotel"."guests""email";');
  assert.match(lines[1]!, /^-- /);
  assert.equal(lines[2], 'CREATE UNIQUE INDEX CONCURRENTLY "guests""email" ON "Hotel".guests USING btree (email);');
});

test('a foreign key without an index: its columns in the constraint order, quoted', () => {
  assert.equal(
    foreignKeyIndexFix({ schema: 'public', table: 'reservations', columns: ['room_id', 'Check In'] }),
    'CREATE INDEX CONCURRENTLY ON "public"."reservations" ("room_id", "Check In");',
  );
});
