// One connection on which the advisor reads plan costs: plain EXPLAIN (nothing runs) inside
// BEGIN READ ONLY … ROLLBACK, each statement behind a savepoint so one that fails leaves the
// others. Neither hypothetical indexes nor prepared statements are transactional, so close()
// runs hypopg_reset() and DEALLOCATE ALL before the ROLLBACK; a connection whose clean-up failed is destroyed,
// not returned to the pool. Nothing is left on the server either way.
//
// A statement with $n parameters (pg_stat_statements' normalised text) is planned generically:
// EXPLAIN (GENERIC_PLAN) on 16+; before 16, PREPARE with plan_cache_mode = force_generic_plan and
// EXPLAIN EXECUTE with NULL for each parameter — the generic plan ignores the values, so the
// cost is the same one GENERIC_PLAN gives; PREPARE infers the parameters' types from the text.
import type pg from 'pg';
import { quoteIdent } from '../db/sqlIdent';
import { explainPrefix } from '../health/plans';

export interface PlanCost {
  totalCost: number;
}

export interface AdvisedStatement {
  sql: string;
  /** The highest $n in it. */
  params: number;
}

export class ExplainSession {
  private prepares = 0;
  private broken: Error | undefined;
  private readonly onError = (e: Error) => {
    this.broken = e;
  };
  private constructor(
    private readonly client: pg.PoolClient,
    private readonly major: number,
    /** HypoPG's schema, undefined without it. */
    private readonly hypopg: string | undefined,
  ) {
    client.on('error', this.onError);
  }

  static async open(pool: pg.Pool, o: { versionNum: number; hypopgSchema?: string; timeoutMs: number }): Promise<ExplainSession> {
    const client = await pool.connect();
    const s = new ExplainSession(client, Math.floor(o.versionNum / 10000), o.hypopgSchema);
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(o.timeoutMs))}`);
      if (s.major < 16) await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
      if (s.hypopg) await client.query(`SELECT ${s.fn('hypopg_reset')}()`);
    } catch (e) {
      await s.close();
      throw e;
    }
    return s;
  }

  /** A HypoPG function, schema-qualified: its schema need not be on the search_path. */
  private fn(name: string): string {
    return `${quoteIdent(this.hypopg ?? 'public')}.${name}`;
  }

  /** Runs `sql` behind a savepoint: a failure is thrown, and the transaction goes on. */
  private async guarded<T>(run: () => Promise<T>): Promise<T> {
    await this.client.query('SAVEPOINT pgdba_advise');
    try {
      const r = await run();
      await this.client.query('RELEASE SAVEPOINT pgdba_advise');
      return r;
    } catch (e) {
      await this.client.query('ROLLBACK TO SAVEPOINT pgdba_advise');
      throw e;
    }
  }

  async cost(st: AdvisedStatement): Promise<PlanCost> {
    return this.guarded(async () => {
      let text: string;
      let prepared: string | undefined;
      if (st.params > 0 && this.major < 16) {
        // Prepared afresh each time: a cached generic plan would not see the hypothetical index.
        prepared = `pgdba_advise_${++this.prepares}`;
        await this.client.query(`PREPARE ${prepared} AS ${st.sql}`);
        text = `${explainPrefix(this.major, false)}EXECUTE ${prepared}(${Array.from({ length: st.params }, () => 'NULL').join(', ')})`;
      } else text = explainPrefix(this.major, st.params > 0) + st.sql;
      const r = await this.client.query<Record<string, unknown>>(text);
      if (prepared) await this.client.query(`DEALLOCATE ${prepared}`);
      const v = r.rows[0]?.['QUERY PLAN'];
      const plan: unknown = typeof v === 'string' ? JSON.parse(v) : v;
      const root = Array.isArray(plan) ? (plan[0] as { Plan?: { 'Total Cost'?: unknown } } | undefined)?.Plan : undefined;
      const totalCost = Number(root?.['Total Cost']);
      if (!Number.isFinite(totalCost)) throw new Error('EXPLAIN gave no total cost');
      return { totalCost };
    });
  }

  /** Hypothetical indexes from CREATE INDEX texts (one per leaf of a partitioned table) while `run` plans; then gone. */
  async withHypothetical<T>(createSql: readonly string[], run: () => Promise<T>): Promise<T> {
    if (!this.hypopg) throw new Error('HypoPG is not installed');
    try {
      for (const c of createSql) await this.guarded(() => this.client.query(`SELECT indexrelid FROM ${this.fn('hypopg_create_index')}($1)`, [c]));
      return await run();
    } finally {
      await this.client.query(`SELECT ${this.fn('hypopg_reset')}()`);
    }
  }

  async close(): Promise<void> {
    if (!this.broken) {
      try {
        // Inside the transaction, on its backend: behind PgBouncer's transaction pooling the
        // statements after ROLLBACK could reach another server connection.
        if (this.hypopg) await this.client.query(`SELECT ${this.fn('hypopg_reset')}()`);
        if (this.prepares) await this.client.query('DEALLOCATE ALL');
        await this.client.query('ROLLBACK');
      } catch (e) {
        this.broken = e as Error;
      }
    }
    this.client.off('error', this.onError);
    this.client.release(this.broken);
  }
}
