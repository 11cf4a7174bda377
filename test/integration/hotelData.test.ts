// The sample database is deterministic: the sandbox, the benches and the tests can rely on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { getTestServer, type TestServer } from '../support/testServer';
import { createHotelDatabase, HOTEL_PARTITIONS } from '../../scripts/lib/hotelData';

const SMALL = { hotels: 3, roomsPerHotel: 5, clients: 200, reservations: 2000 };
let srv: TestServer;
before(async () => {
  srv = await getTestServer();
});
after(async () => {
  await srv?.stop();
});

async function fingerprint(db: string): Promise<Record<string, string>> {
  const admin = new pg.Client(srv.urlFor('postgres'));
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${db}"`);
  await admin.query(`CREATE DATABASE "${db}"`);
  await admin.end();
  const c = new pg.Client(srv.urlFor(db));
  await c.connect();
  try {
    await createHotelDatabase(c, SMALL);
    const out: Record<string, string> = {};
    for (const t of ['hotels', 'rooms', 'clients', 'reservations', 'payments']) {
      const r = await c.query<{ n: string; h: string }>(`SELECT count(*)::text AS n, md5(string_agg(t::text, ',' ORDER BY t::text)) AS h FROM ${t} t`);
      out[t] = `${r.rows[0]?.n}:${r.rows[0]?.h}`;
    }
    const parts = await c.query<{ relname: string }>(
      "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'reservations'::regclass ORDER BY 1",
    );
    out.partitions = parts.rows.map((r) => r.relname).join(',');
    return out;
  } finally {
    await c.end();
    const a2 = new pg.Client(srv.urlFor('postgres'));
    await a2.connect();
    await a2.query(`DROP DATABASE IF EXISTS "${db}"`);
    await a2.end();
  }
}

test('two generations of the hotel database are identical, with the seed-style quarterly partitions', async () => {
  const a = await fingerprint('hotel_a');
  const b = await fingerprint('hotel_b');
  assert.deepEqual(a, b);
  assert.match(a.reservations ?? '', /^2000:/);
  assert.equal(a.partitions, [...HOTEL_PARTITIONS].sort().join(','));
  assert.ok(a.partitions?.includes('reservations_2025_q1'));
});
