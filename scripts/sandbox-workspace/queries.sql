-- Queries of the hotel system. Put the cursor in one and run "PostgreSQL DBA: Explain Analyze":
-- it runs inside BEGIN … ROLLBACK and the plan opens beside this file, with what pgdba finds in it
-- and the statement or setting that fixes it. The "pgdba shows" line under each comment is what
-- you will see (test/integration/sandboxTour.test.ts explains each query on this database and
-- holds it to that line).

-- Guests arriving the weekend of 10–12 January who leave by the 13th. The planner reads only the
-- partition of the first quarter, but with no index on the dates it reads all of its ~25,000 rows
-- to keep a few hundred: the seed's reservations (check_in_date, check_out_date) index is missing.
-- (The seed's whole-month query keeps a third of that partition: there a sequential scan is the
-- right plan, and pgdba says nothing.)
-- pgdba shows: Missing index on reservations_2025_q1 (check_in_date, check_out_date)
SELECT * FROM reservations
WHERE check_in_date BETWEEN '2025-01-10' AND '2025-01-12' AND check_out_date <= '2025-01-13';

-- A client by e-mail, as the booking site looks them up. LOWER() hides the column from a plain
-- index, and without statistics on lower(email) the planner guesses how many rows it will find.
-- pgdba shows: Missing expression index on clients (lower(email))
-- pgdba shows: Row estimate
SELECT * FROM clients WHERE LOWER(email) = 'client4242@example.com';

-- The best clients by what they spent. At the server's work_mem of 4MB the sorts of ~90,000
-- stays spill to temporary files; the seed's tuning sets work_mem = 32MB, which holds them.
-- pgdba shows: Sort spilled
SELECT c.full_name, c.email, sum(r.total_price) AS spent, count(*) AS stays
FROM reservations r
JOIN clients c ON c.id = r.client_id
WHERE r.status = 'completed'
GROUP BY c.id
ORDER BY spent DESC;
