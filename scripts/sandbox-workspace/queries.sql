-- Queries from the hotel system. Put the cursor in one and run
-- "PostgreSQL DBA: Explain Analyze" to see where the time goes.

-- January's arrivals: no index on the dates yet.
SELECT * FROM reservations
WHERE check_in_date BETWEEN '2025-01-01' AND '2025-01-31';

-- A client by e-mail: LOWER() defeats a plain index on email.
SELECT * FROM clients WHERE LOWER(email) = 'client4242@example.com';

-- Revenue per hotel and month.
SELECT h.name, date_trunc('month', r.check_in_date) AS month, sum(p.amount) AS revenue
FROM reservations r
JOIN hotels h ON h.id = r.hotel_id
JOIN payments p ON p.reservation_id = r.id
WHERE r.status = 'completed'
GROUP BY h.name, month
ORDER BY month, h.name;
