// Shared by the backup integration tests: a PostgreSQL 15 server (the real pg_dump here is the
// Debian client 15, and pg_dump must be of the server's major or newer), a database of many
// kinds, and a table-by-table fingerprint to compare a restore with its source.
import pg from 'pg';
import { createHotelDatabase } from '../../scripts/lib/hotelData';
import { getTestServer, type TestServer } from '../support/testServer';

export const DUMP_MAJOR = 15;

export async function startBackupServer(): Promise<TestServer> {
  console.log(
    `# backup tests run on PostgreSQL ${DUMP_MAJOR}: the installed pg_dump/pg_restore are postgresql-client ${DUMP_MAJOR}, and pg_dump refuses newer servers`,
  );
  return getTestServer({ major: DUMP_MAJOR });
}

export async function sql<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

/** The hotel schema (partitions like reservations_2025_q1) plus jsonb, arrays, a large object,
 *  a sequence, an index, a view and a function. */
export async function createVarietyDatabase(server: TestServer, name: string): Promise<void> {
  await sql(server.urlFor('postgres'), `CREATE DATABASE "${name}"`);
  const c = new pg.Client({ connectionString: server.urlFor(name) });
  await c.connect();
  try {
    await createHotelDatabase(c, { hotels: 3, roomsPerHotel: 6, clients: 300, reservations: 3000 });
    await c.query(`
      CREATE SEQUENCE "ticket_seq" START 1000;
      CREATE TABLE "kinds" (
        "id" int PRIMARY KEY DEFAULT nextval('ticket_seq'),
        "doc" jsonb NOT NULL,
        "tags" text[] NOT NULL,
        "scores" int[],
        "picture" oid,
        "at" timestamptz NOT NULL DEFAULT '2025-01-01 00:00:00+00'
      );
      CREATE INDEX "kinds_doc_gin" ON "kinds" USING gin ("doc");
      INSERT INTO "kinds" ("doc", "tags", "scores")
        SELECT jsonb_build_object('n', g, 'name', 'guest ' || g, 'vip', g % 7 = 0), ARRAY['a' || g, 'b'], ARRAY[g, g * 2]
          FROM generate_series(1, 500) g;
      UPDATE "kinds" SET "picture" = lo_from_bytea(0, convert_to(repeat('jpeg', 5000), 'UTF8')) WHERE "id" = 1000;
      CREATE VIEW "vip_kinds" AS SELECT "id", "doc"->>'name' AS "name" FROM "kinds" WHERE ("doc"->>'vip')::boolean;
      CREATE FUNCTION "nights"(a date, b date) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT b - a';
      ANALYZE;
    `);
  } finally {
    await c.end();
  }
}

export interface Fingerprint {
  tables: Record<string, { rows: number; md5: string }>;
  sequence: string;
  largeObject: string;
  view: number;
  fn: number;
}

export async function fingerprint(url: string): Promise<Fingerprint> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const t = await c.query<{ s: string; n: string }>(
      `SELECT n.nspname AS s, c.relname AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1, 2`,
    );
    const tables: Fingerprint['tables'] = {};
    for (const r of t.rows) {
      const q = `"${r.s}"."${r.n}"`;
      const x = await c.query<{ rows: string; md5: string }>(
        `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS md5 FROM ${q} t`,
      );
      tables[`${r.s}.${r.n}`] = { rows: Number(x.rows[0]!.rows), md5: x.rows[0]!.md5 };
    }
    const seq = await c.query<{ v: string }>(`SELECT last_value::text AS v FROM "ticket_seq"`);
    const lo = await c.query<{ m: string }>(`SELECT md5(lo_get("picture")) AS m FROM "kinds" WHERE "picture" IS NOT NULL`);
    const view = await c.query<{ n: string }>(`SELECT count(*) AS n FROM "vip_kinds"`);
    const fn = await c.query<{ n: number }>(`SELECT "nights"('2025-01-01', '2025-01-05') AS n`);
    return { tables, sequence: seq.rows[0]!.v, largeObject: lo.rows[0]!.m, view: Number(view.rows[0]!.n), fn: fn.rows[0]!.n };
  } finally {
    await c.end();
  }
}

export async function databases(url: string): Promise<string[]> {
  return (await sql<{ datname: string }>(url, 'SELECT datname FROM pg_database ORDER BY 1')).map((r) => r.datname);
}
