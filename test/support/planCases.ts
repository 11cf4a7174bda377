// The plan conditions the explain tests create on real servers: one schema, and per case the
// session settings and the query that produce it. Used by scripts/genPlanFixtures.ts (stored
// fixtures for the parser's unit tests) and by the integration tests (live runs).
import type { InsightRule } from '../../src/core/explain/insightTypes';

/** Deterministic data; autovacuum off on every table so that "stale" stays stale. */
export const PLAN_SCHEMA = `
CREATE TABLE items (id int PRIMARY KEY, category int NOT NULL, price numeric NOT NULL, note text NOT NULL, created date NOT NULL) WITH (autovacuum_enabled = off);
INSERT INTO items SELECT g, g % 100, (g % 1000) / 10.0, md5(g::text), date '2024-01-01' + (g * 7919 % 365) FROM generate_series(1, 100000) g;
CREATE INDEX items_created_idx ON items (created);
CREATE TABLE orders (id int PRIMARY KEY, item_id int NOT NULL REFERENCES items (id), qty int NOT NULL) WITH (autovacuum_enabled = off);
INSERT INTO orders SELECT g, (g * 7) % 100000 + 1, g % 10 FROM generate_series(1, 50000) g;
CREATE TABLE categories (code int NOT NULL, name text NOT NULL) WITH (autovacuum_enabled = off);
INSERT INTO categories SELECT g, 'category ' || g FROM generate_series(0, 99) g;
CREATE TABLE events (id int, kind int, city int) WITH (autovacuum_enabled = off);
INSERT INTO events SELECT g, 1, 1 FROM generate_series(1, 100) g;
ANALYZE events;
INSERT INTO events SELECT g, g % 10, g % 10 FROM generate_series(101, 100000) g;
CREATE TABLE pairs (a int, b int) WITH (autovacuum_enabled = off);
INSERT INTO pairs SELECT g % 100, g % 100 FROM generate_series(1, 100000) g;
CREATE TABLE readings (id int NOT NULL, value int NOT NULL) WITH (autovacuum_enabled = off);
INSERT INTO readings SELECT g, g FROM generate_series(1, 100000) g;
CREATE INDEX readings_id_idx ON readings (id);
ANALYZE items; ANALYZE orders; ANALYZE categories; ANALYZE pairs; ANALYZE readings;
`;

export interface PlanCase {
  name: string;
  /** SET LOCAL for the run. */
  settings: Record<string, string>;
  sql: string;
  verbose?: boolean;
  /** false: plain EXPLAIN. */
  analyze?: boolean;
  /** The insight this case must raise. */
  expect?: InsightRule;
  /** Table whose rows must stay as they were (DML cases). */
  writes?: string;
}

const PARALLEL = { max_parallel_workers_per_gather: '2', parallel_setup_cost: '0', parallel_tuple_cost: '0', min_parallel_table_scan_size: '0' };

export const PLAN_CASES: PlanCase[] = [
  {
    name: 'missing-index',
    settings: { max_parallel_workers_per_gather: '0' },
    sql: 'SELECT * FROM items WHERE category = 42 AND price > 90',
    expect: 'missing-index',
  },
  { name: 'sort-spill', settings: { work_mem: '64kB', max_parallel_workers_per_gather: '0' }, sql: 'SELECT * FROM items ORDER BY note', expect: 'sort-spill' },
  {
    name: 'hash-spill',
    settings: { work_mem: '64kB', enable_mergejoin: 'off', enable_nestloop: 'off', max_parallel_workers_per_gather: '0' },
    sql: 'SELECT o.id, i.note FROM orders o JOIN items i ON i.id = o.item_id',
    expect: 'hash-spill',
  },
  {
    name: 'hashagg-spill',
    settings: { work_mem: '64kB', enable_sort: 'off', max_parallel_workers_per_gather: '0' },
    sql: 'SELECT note, count(*) FROM items GROUP BY note',
    expect: 'hash-spill',
  },
  { name: 'stale-statistics', settings: { max_parallel_workers_per_gather: '0' }, sql: 'SELECT * FROM events WHERE kind = 3', expect: 'estimate-miss' },
  { name: 'correlated-columns', settings: { max_parallel_workers_per_gather: '0' }, sql: 'SELECT * FROM pairs WHERE a = 5 AND b = 5', expect: 'estimate-miss' },
  {
    name: 'nested-loop',
    settings: { enable_hashjoin: 'off', enable_mergejoin: 'off', enable_material: 'off', max_parallel_workers_per_gather: '0' },
    sql: 'SELECT o.id, c.name FROM orders o JOIN categories c ON c.code = o.qty WHERE o.id <= 2000',
    expect: 'nested-loop-scan',
  },
  {
    name: 'heap-fetches',
    settings: { enable_seqscan: 'off', enable_bitmapscan: 'off' },
    sql: 'SELECT id FROM readings WHERE id <= 20000',
    expect: 'heap-fetches',
  },
  {
    name: 'lossy-bitmap',
    settings: { work_mem: '64kB', enable_seqscan: 'off', enable_indexscan: 'off', max_parallel_workers_per_gather: '0' },
    sql: "SELECT count(*) FROM items WHERE created < date '2024-09-01'",
    expect: 'lossy-bitmap',
  },
  {
    name: 'workers-not-launched',
    settings: { ...PARALLEL, max_parallel_workers: '0' },
    sql: 'SELECT count(*) FROM items WHERE price > 10',
    expect: 'workers-not-launched',
  },
  {
    name: 'parallel',
    settings: { ...PARALLEL, max_parallel_workers: '4' },
    sql: 'SELECT category, count(*) FROM items WHERE price > 10 GROUP BY category',
    verbose: true,
  },
  {
    name: 'subplans',
    settings: { max_parallel_workers_per_gather: '0', track_io_timing: 'on' },
    sql: `WITH top AS MATERIALIZED (SELECT category, count(*) AS n FROM items GROUP BY category)
SELECT i.id, (SELECT max(o.qty) FROM orders o WHERE o.item_id = i.id) AS q, t.n
FROM items i JOIN top t ON t.category = i.category
WHERE i.id < 300 AND i.price > (SELECT avg(price) FROM items)`,
    verbose: true,
  },
  { name: 'update', settings: {}, sql: 'UPDATE orders SET qty = qty + 1 WHERE id <= 500', verbose: true, writes: 'orders' },
  { name: 'insert-fk', settings: {}, sql: 'INSERT INTO orders SELECT 100000 + g, g, 1 FROM generate_series(1, 200) g', writes: 'orders' },
  { name: 'delete', settings: {}, sql: 'DELETE FROM orders WHERE id > 49000', writes: 'orders' },
  {
    name: 'plain',
    settings: {},
    sql: 'SELECT i.category, sum(o.qty) FROM orders o JOIN items i ON i.id = o.item_id GROUP BY 1 ORDER BY 2 DESC LIMIT 5',
    analyze: false,
  },
];

/** The option list the fixtures use (all that 13 accepts too). */
export function fixtureOptions(c: PlanCase): string[] {
  if (c.analyze === false) return ['COSTS', ...(c.verbose ? ['VERBOSE'] : []), 'SETTINGS'];
  return ['ANALYZE', 'BUFFERS', 'SETTINGS', 'WAL', ...(c.verbose ? ['VERBOSE'] : [])];
}

export function setLocal(settings: Record<string, string>): string {
  return Object.entries(settings)
    .map(([k, v]) => `SET LOCAL ${k} = '${v}';`)
    .join('\n');
}
