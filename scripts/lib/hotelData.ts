// The sample hotel database of the sandbox, the e2e rig and the benches: the schema of the
// seed's hotel system (hotels, rooms, clients, reservations partitioned by quarter like the
// seed's reservations_2025_q1, payments), filled deterministically — every value is arithmetic
// over the row number, so two runs produce byte-identical tables.
//
// On purpose, as in the seed's own story: no index on reservations(check_in_date, check_out_date)
// and none on clients(email), so EXPLAIN and the statistics have something true to find.
import type pg from 'pg';

export interface HotelScale {
  hotels: number;
  roomsPerHotel: number;
  clients: number;
  reservations: number;
}

/** The sandbox's default: the seed's plan of 25 hotels, several hundred thousand reservations. */
export const SANDBOX_SCALE: HotelScale = { hotels: 25, roomsPerHotel: 40, clients: 50_000, reservations: 300_000 };

const QUARTERS = (() => {
  const out: { name: string; from: string; to: string }[] = [];
  for (let y = 2024; y <= 2026; y++) {
    for (let q = 0; q < 4; q++) {
      const from = `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
      const to = q === 3 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 4).padStart(2, '0')}-01`;
      out.push({ name: `reservations_${y}_q${q + 1}`, from, to });
    }
  }
  return out;
})();

export function hotelSchemaSql(): string {
  const partitions = QUARTERS.map((p) => `CREATE TABLE ${p.name} PARTITION OF reservations FOR VALUES FROM ('${p.from}') TO ('${p.to}');`).join('\n');
  return `
CREATE TABLE hotels (
  id          integer PRIMARY KEY,
  name        text NOT NULL,
  city        text NOT NULL,
  opened_on   date NOT NULL
);
CREATE TABLE rooms (
  id          integer PRIMARY KEY,
  hotel_id    integer NOT NULL REFERENCES hotels(id),
  number      text NOT NULL,
  room_type   text NOT NULL CHECK (room_type IN ('single', 'double', 'twin', 'suite')),
  nightly_rate numeric(10,2) NOT NULL,
  UNIQUE (hotel_id, number)
);
CREATE TABLE clients (
  id          integer PRIMARY KEY,
  full_name   text NOT NULL,
  email       text NOT NULL,
  phone       text,
  created_at  timestamptz NOT NULL
);
CREATE TABLE reservations (
  id              bigint NOT NULL,
  hotel_id        integer NOT NULL,
  room_id         integer NOT NULL,
  client_id       integer NOT NULL,
  check_in_date   date NOT NULL,
  check_out_date  date NOT NULL,
  status          text NOT NULL CHECK (status IN ('active', 'confirmed', 'checked_in', 'completed', 'cancelled')),
  total_price     numeric(10,2) NOT NULL,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (id, check_in_date)
) PARTITION BY RANGE (check_in_date);
${partitions}
CREATE TABLE payments (
  id              bigint PRIMARY KEY,
  reservation_id  bigint NOT NULL,
  amount          numeric(10,2) NOT NULL,
  method          text NOT NULL CHECK (method IN ('card', 'cash', 'transfer')),
  paid_at         timestamptz NOT NULL
);
CREATE INDEX payments_reservation_id_idx ON payments (reservation_id);
CREATE VIEW upcoming_arrivals AS
  SELECT r.id, h.name AS hotel, c.full_name, r.check_in_date, r.check_out_date
  FROM reservations r JOIN hotels h ON h.id = r.hotel_id JOIN clients c ON c.id = r.client_id
  WHERE r.status IN ('active', 'confirmed');
`;
}

/** Creates and fills the schema in the connected database (which must be empty of these tables). */
export async function createHotelDatabase(client: Pick<pg.Client, 'query'>, scale: HotelScale = SANDBOX_SCALE): Promise<void> {
  const cities = `(ARRAY['Tokyo','Osaka','Kyoto','Sapporo','Fukuoka','Nagoya','Sendai','Hiroshima','Naha','Kobe'])`;
  const rooms = scale.hotels * scale.roomsPerHotel;
  const days = 3 * 365; // 2024-01-01 .. 2026-12-31
  await client.query(hotelSchemaSql());
  await client.query(
    `INSERT INTO hotels SELECT i, 'Hotel ' || i, ${cities}[1 + (i % 10)], DATE '2010-01-01' + (i * 97 % 4000)
     FROM generate_series(1, $1::int) i`,
    [scale.hotels],
  );
  await client.query(
    `INSERT INTO rooms SELECT i, 1 + (i - 1) / $2::int, lpad(((i - 1) % $2::int + 101)::text, 4, '0'),
       (ARRAY['single','double','twin','suite'])[1 + (i % 4)], 6000 + (i * 37 % 30) * 500
     FROM generate_series(1, $1::int) i`,
    [rooms, scale.roomsPerHotel],
  );
  await client.query(
    `INSERT INTO clients SELECT i, 'Client ' || i, 'client' || i || '@example.com',
       '+81-' || lpad((i * 7919 % 100000000)::text, 8, '0'), TIMESTAMPTZ '2020-01-01 00:00+00' + (i * 631 % 157680000) * interval '1 second'
     FROM generate_series(1, $1::bigint) i`,
    [scale.clients],
  );
  await client.query(
    `INSERT INTO reservations
     SELECT i, (1 + (room - 1) / $4::int)::int, room::int, (1 + (i * 7907 % $2::int))::int, d, d + (1 + i % 6)::int,
       CASE WHEN i % 20 = 0 THEN 'cancelled' WHEN d < DATE '2026-11-01' THEN 'completed'
            WHEN i % 3 = 0 THEN 'active' ELSE 'confirmed' END,
       (1 + i % 6) * (6000 + (room * 37 % 30) * 500), d - (i % 90) * interval '1 day'
     FROM (SELECT i, 1 + (i * 104729 % $3::int) AS room, DATE '2024-01-01' + (i * 7 % ${days})::int AS d
           FROM generate_series(1, $1::bigint) i) s`,
    [scale.reservations, scale.clients, rooms, scale.roomsPerHotel],
  );
  const paid = await client.query(
    `INSERT INTO payments
     SELECT id, id, total_price, (ARRAY['card','cash','transfer'])[1 + (id % 3)], check_in_date + interval '10 hours'
     FROM reservations WHERE status <> 'cancelled' AND id % 5 <> 0`,
  );
  // A backend hands its row counts to the statistics system up to a second after the transaction
  // (pgstat's flush interval): an ANALYZE before that is followed by the late counts, and payments
  // looks changed since its ANALYZE (a false "stale statistics" warning). The last insert counted
  // means every earlier one is.
  for (const until = Date.now() + 30_000; ;) {
    const r = await client.query<{ n: string }>("SELECT n_tup_ins AS n FROM pg_stat_user_tables WHERE relid = 'payments'::regclass");
    if (Number(r.rows[0]?.n ?? 0) >= (paid.rowCount ?? 0)) break;
    if (Date.now() > until) throw new Error('the statistics system did not count the hotel data within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await client.query('ANALYZE');
}

export const HOTEL_PARTITIONS = QUARTERS.map((q) => q.name);

/**
 * Statements of the hotel's day for the index advisor (its test and bench): the seed's date-range
 * query, the same narrowed to a stay, a lower(email) lookup, and two an index already serves.
 */
export const HOTEL_ADVISOR_WORKLOAD = [
  "SELECT * FROM reservations WHERE check_in_date BETWEEN '2025-01-01' AND '2025-01-31'",
  "SELECT * FROM reservations WHERE check_in_date BETWEEN '2025-01-10' AND '2025-01-12' AND check_out_date <= '2025-01-13'",
  "SELECT id, full_name FROM clients WHERE lower(email) = 'client42@example.com'",
  'SELECT * FROM payments WHERE reservation_id = 4242',
  'SELECT * FROM clients WHERE id = 77',
];
