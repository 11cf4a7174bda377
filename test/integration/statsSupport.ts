// Helpers shared by the stats integration tests (not a test file itself).
import assert from 'node:assert/strict';
import pg from 'pg';
import { checkRow, type QueryDef, type VersionArgs, type ColumnType } from '../../src/core/stats';

/** Every row fits the query's declared columns (types, nullability, no extra keys). */
export function assertShape<R>(def: QueryDef<VersionArgs, R> | QueryDef<never, R>, rows: readonly R[]): void {
  const columns = def.columns as unknown as Record<string, ColumnType>;
  for (const [i, row] of rows.entries()) {
    const problems = checkRow(row as Record<string, unknown>, columns);
    assert.deepEqual(problems, [], `${def.id} row ${i}: ${problems.join('; ')}`);
  }
}

/** Polls until `probe` returns a value (statistics reach readers asynchronously, by design). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** Runs statements on a short-lived session; ending it flushes its statistics. */
export async function onSession(url: string, statements: readonly string[]): Promise<void> {
  const c = await connect(url);
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
