// Builds a suggested index for real, after the person confirmed its statements: each step on
// its own (CREATE INDEX CONCURRENTLY cannot run in a transaction block), and when one fails,
// the steps already done are taken back, newest first — no invalid or half-attached index stays.
import type pg from 'pg';
import type { IndexSuggestion } from './types';

export async function applySuggestion(pool: pg.Pool, s: Pick<IndexSuggestion, 'steps'>, signal?: AbortSignal): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const done: string[] = [];
  try {
    for (const step of s.steps) {
      if (signal?.aborted) throw new Error('cancelled');
      try {
        await client.query(step.sql);
      } catch (e) {
        // A failed CREATE INDEX CONCURRENTLY leaves an invalid index under the name: its undo drops
        // it — unless the name was taken before (42P07): that index is someone else's.
        if (step.undo && (e as { code?: string }).code !== '42P07') done.push(step.undo);
        throw e;
      }
      if (step.undo) done.push(step.undo);
    }
  } catch (e) {
    for (const undo of done.reverse()) await client.query(undo).catch((u: Error) => (broken = u));
    throw e;
  } finally {
    client.release(broken);
  }
}
