// Builds a suggested index for real, after the person confirmed its statements: each step on
// its own (CREATE INDEX CONCURRENTLY cannot run in a transaction block), and when one fails,
// the steps already done are taken back, newest first — no invalid or half-attached index stays.
// A build outlasts the pool's per-query deadline, so the steps get one of their own (default an
// hour, on the server and 2 s later on the client), and the connection is closed afterwards
// rather than returned to the pool with that setting.
import type pg from 'pg';
import type { IndexSuggestion } from './types';

export const BUILD_TIMEOUT_MS = 3_600_000;

export async function applySuggestion(pool: pg.Pool, s: Pick<IndexSuggestion, 'steps'>, o: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<void> {
  const ms = Math.max(1, Math.round(o.timeoutMs ?? BUILD_TIMEOUT_MS));
  const client = await pool.connect();
  // node-postgres reads a query's own query_timeout at run time; its types do not declare it.
  const run = (text: string) => {
    const q: pg.QueryConfig & { query_timeout: number } = { text, query_timeout: ms + 2000 };
    return client.query(q);
  };
  const done: string[] = [];
  try {
    await client.query(`SET statement_timeout = ${ms}`);
    for (const step of s.steps) {
      if (o.signal?.aborted) throw new Error('cancelled');
      try {
        await run(step.sql);
      } catch (e) {
        // A failed CREATE INDEX CONCURRENTLY leaves an invalid index under the name: its undo drops
        // it — unless the name was taken before (42P07): that index is someone else's.
        if (step.undo && (e as { code?: string }).code !== '42P07') done.push(step.undo);
        throw e;
      }
      if (step.undo) done.push(step.undo);
    }
  } catch (e) {
    for (const undo of done.reverse()) await run(undo).catch(() => undefined);
    throw e;
  } finally {
    client.release(true);
  }
}
