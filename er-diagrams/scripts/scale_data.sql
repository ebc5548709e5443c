-- Scale data set for the EXPLAIN (ANALYZE) evidence: run by scripts/evidence.py in a scratch
-- database migrated by the app's Alembic migrations. Placeholders {orders}, {customers},
-- {units}, {staff_per_unit}, {services}, {parts} are integers filled in by the script.
-- Every id is md5(<prefix> || n)::uuid, so rows can reference each other without lookups, and
-- setseed() makes the data the same on every run. All data is synthetic (no real CPF).
SELECT setseed(0.42);

INSERT INTO units (id, code, name, city)
SELECT md5('u' || u)::uuid, 'UNIT-' || lpad(u::text, 3, '0'), 'Oficina ' || u, 'Cidade ' || u
FROM generate_series(1, {units}) u;

INSERT INTO staff_users (id, unit_id, cpf, name, role, password_hash)
SELECT md5('s' || s)::uuid, md5('u' || ((s - 1) % {units} + 1))::uuid,
       lpad((90000000000 + s)::text, 11, '0'), 'Staff ' || s,
       (ARRAY['attendant', 'mechanic', 'mechanic', 'manager'])[(s - 1) % 4 + 1],
       '$argon2id$v=19$m=65536,t=3,p=4$synthetic$synthetic'
FROM generate_series(1, {units} * {staff_per_unit}) s;

INSERT INTO services (id, name, price, estimated_minutes)
SELECT md5('sv' || v)::uuid, 'Service ' || lpad(v::text, 3, '0'), 50 + v * 7.5, 30 + v % 8 * 30
FROM generate_series(1, {services}) v;

INSERT INTO parts (id, sku, name, kind, unit_price, stock_quantity, minimum_stock)
SELECT md5('p' || p)::uuid, 'SKU-' || lpad(p::text, 5, '0'), 'Part ' || p,
       CASE WHEN p % 5 = 0 THEN 'supply' ELSE 'part' END, 10 + p % 90, 1000000, 10
FROM generate_series(1, {parts}) p;

INSERT INTO customers (id, document_type, document, name, email, phone, created_at, updated_at)
SELECT md5('c' || c)::uuid,
       CASE WHEN c % 10 = 0 THEN 'CNPJ' ELSE 'CPF' END,
       CASE WHEN c % 10 = 0 THEN lpad(c::text, 14, '0') ELSE lpad(c::text, 11, '0') END,
       'Customer ' || c, 'customer' || c || '@example.com',
       CASE WHEN c % 3 = 0 THEN NULL ELSE '+55 11 9' || lpad(c::text, 8, '0') END,
       now() - interval '4 years', now() - interval '4 years'
FROM generate_series(1, {customers}) c;

-- 1.2 vehicles per customer.
INSERT INTO vehicles (id, customer_id, plate, make, model, year)
SELECT md5('v' || v)::uuid, md5('c' || ((v - 1) % {customers} + 1))::uuid,
       chr(65 + v / 175760 % 26) || chr(65 + v / 6760 % 26) || chr(65 + v / 260 % 26)
         || (v / 26 % 10)::text || chr(65 + v % 26) || lpad((v % 100)::text, 2, '0'),
       (ARRAY['Volkswagen', 'Fiat', 'Chevrolet', 'Toyota', 'Hyundai'])[v % 5 + 1],
       'Model ' || v % 40, 1995 + v % 30
FROM generate_series(1, {customers} * 6 / 5) v;

-- Orders: the final stage reached (1 RECEIVED .. 6 DELIVERED, 0 CANCELLED). 90 % delivered,
-- 6 % cancelled, 1 % completed, 3 % still active; active orders are recent, others spread
-- over three years.
CREATE TEMPORARY TABLE gen_orders AS
SELECT o,
       CASE WHEN r < 0.90 THEN 6 WHEN r < 0.96 THEN 0 WHEN r < 0.97 THEN 5
            WHEN r < 0.98 THEN 4 WHEN r < 0.99 THEN 3 WHEN r < 0.995 THEN 2 ELSE 1 END AS stage,
       (random() * 2 + 1)::int AS cancel_after,
       ((o - 1) % ({customers} * 6 / 5)) + 1 AS v,
       (o - 1) % {units} + 1 AS u,
       r2
FROM (SELECT o, random() AS r, random() AS r2 FROM generate_series(1, {orders}) o) x;

CREATE TEMPORARY TABLE gen_times AS
SELECT o, stage, cancel_after, v, u,
       CASE WHEN stage BETWEEN 1 AND 5 THEN now() - interval '10 days' - r2 * interval '20 days'
            ELSE now() - interval '10 days' - r2 * interval '3 years' END AS opened_at
FROM gen_orders;

-- History rows: step k of an order entered status k (1..6); cancelled orders stop after
-- cancel_after steps and then enter CANCELLED. Each step lasts 1 to 48 hours.
CREATE TEMPORARY TABLE gen_history AS
SELECT o, k, to_status, staff_id,
       opened_at + sum(step) OVER (PARTITION BY o ORDER BY k) AS changed_at
FROM (
    SELECT t.o, k, t.opened_at,
           CASE WHEN t.stage = 0 AND k = t.cancel_after + 1 THEN 'CANCELLED'
                ELSE (ARRAY['RECEIVED', 'IN_DIAGNOSIS', 'AWAITING_APPROVAL', 'IN_PROGRESS',
                            'COMPLETED', 'DELIVERED'])[k] END AS to_status,
           CASE WHEN k = 1 THEN interval '0'
                ELSE (1 + abs(hashtext(t.o::text || '-' || k)) % 48) * interval '1 hour'
           END AS step,
           md5('s' || ((t.u - 1) + {units} * (k % {staff_per_unit}) + 1))::uuid AS staff_id
    FROM gen_times t
    CROSS JOIN LATERAL generate_series(1, CASE WHEN t.stage = 0 THEN t.cancel_after + 1
                                               ELSE t.stage END) k
) steps;
CREATE INDEX ON gen_history (o, k);
ANALYZE gen_history;

-- Active orders: shift each timeline so that its last move happened in the last 72 hours.
CREATE TEMPORARY TABLE gen_shift AS
SELECT h.o, now() - (abs(hashtext('shift' || h.o)) % 72) * interval '1 hour' - max(h.changed_at)
         AS shift
FROM gen_history h JOIN gen_times t ON t.o = h.o
WHERE t.stage BETWEEN 1 AND 5
GROUP BY h.o;
UPDATE gen_history h SET changed_at = h.changed_at + s.shift FROM gen_shift s WHERE s.o = h.o;
UPDATE gen_times t SET opened_at = t.opened_at + s.shift FROM gen_shift s WHERE s.o = t.o;

-- 1 to 3 services and 0 to 2 parts per order, prices frozen from the catalog.
CREATE TEMPORARY TABLE gen_service_lines AS
SELECT t.o, (t.o * 7 + j * 13) % {services} + 1 AS sv, 1 AS quantity,
       50 + ((t.o * 7 + j * 13) % {services} + 1) * 7.5 AS unit_price
FROM gen_times t CROSS JOIN LATERAL generate_series(1, t.o % 3 + 1) j;

CREATE TEMPORARY TABLE gen_part_lines AS
SELECT t.o, (t.o * 11 + j * 17) % {parts} + 1 AS p, 1 + j AS quantity,
       10 + ((t.o * 11 + j * 17) % {parts} + 1) % 90 AS unit_price
FROM gen_times t CROSS JOIN LATERAL generate_series(1, t.o % 3) j;

-- One row per order: its last step and the budget timestamps, aggregated once.
CREATE TEMPORARY TABLE gen_summary AS
SELECT h.o,
       max(h.k) AS last_k,
       (array_agg(h.to_status ORDER BY h.k DESC))[1] AS last_status,
       max(h.changed_at) AS last_at,
       max(h.changed_at) FILTER (WHERE h.k = 3 AND h.to_status = 'AWAITING_APPROVAL') AS sent_at,
       max(h.changed_at) FILTER (WHERE h.k = 4) AS decided_at
FROM gen_history h
GROUP BY h.o;
CREATE TEMPORARY TABLE gen_totals AS
SELECT t.o, coalesce(sv.total, 0) AS services_total, coalesce(pt.total, 0) AS parts_total
FROM gen_times t
LEFT JOIN (SELECT o, sum(quantity * unit_price) AS total FROM gen_service_lines GROUP BY o) sv
       ON sv.o = t.o
LEFT JOIN (SELECT o, sum(quantity * unit_price) AS total FROM gen_part_lines GROUP BY o) pt
       ON pt.o = t.o;

INSERT INTO service_orders (id, number, unit_id, customer_id, vehicle_id, status, description,
                            services_total, parts_total, budget_sent_at, budget_decision,
                            budget_decided_at, opened_at, updated_at, closed_at, version)
SELECT md5('o' || t.o)::uuid, t.o, md5('u' || t.u)::uuid,
       md5('c' || ((t.v - 1) % {customers} + 1))::uuid, md5('v' || t.v)::uuid,
       s.last_status, 'Noise when braking', tot.services_total, tot.parts_total,
       s.sent_at,
       CASE WHEN t.stage >= 4 THEN 'approved'
            WHEN t.stage = 0 AND t.cancel_after = 3 THEN 'rejected' END,
       CASE WHEN t.stage >= 4 OR (t.stage = 0 AND t.cancel_after = 3) THEN s.decided_at END,
       t.opened_at, s.last_at,
       CASE WHEN t.stage IN (0, 6) THEN s.last_at END,
       s.last_k
FROM gen_times t
JOIN gen_summary s ON s.o = t.o
JOIN gen_totals tot ON tot.o = t.o
ORDER BY t.o;

INSERT INTO service_order_status_history (service_order_id, from_status, to_status, changed_at,
                                          changed_by_staff_id, note)
SELECT md5('o' || h.o)::uuid,
       lag(h.to_status) OVER (PARTITION BY h.o ORDER BY h.k), h.to_status, h.changed_at,
       h.staff_id, CASE WHEN h.k = 1 THEN 'order opened' END
FROM gen_history h
ORDER BY h.changed_at;

INSERT INTO service_order_services (service_order_id, service_id, quantity, unit_price)
SELECT md5('o' || o)::uuid, md5('sv' || sv)::uuid, quantity, unit_price
FROM gen_service_lines ORDER BY o, sv;

INSERT INTO service_order_parts (service_order_id, part_id, quantity, unit_price)
SELECT md5('o' || o)::uuid, md5('p' || p)::uuid, quantity, unit_price
FROM gen_part_lines ORDER BY o, p;

-- Stock ledger: the initial stock, then a reservation per part line of every approved order
-- (recorded by the staff member who moved the order to IN_PROGRESS).
INSERT INTO stock_movements (part_id, quantity, reason, created_at)
SELECT md5('p' || p)::uuid, 1000000, 'initial', now() - interval '4 years'
FROM generate_series(1, {parts}) p;

INSERT INTO stock_movements (part_id, quantity, reason, service_order_id, staff_id, created_at)
SELECT md5('p' || l.p)::uuid, -l.quantity, 'reservation', md5('o' || l.o)::uuid, h.staff_id,
       h.changed_at
FROM gen_part_lines l
JOIN gen_history h ON h.o = l.o AND h.k = 4 AND h.to_status = 'IN_PROGRESS'
ORDER BY h.changed_at;

UPDATE parts p SET stock_quantity = m.total
FROM (SELECT part_id, sum(quantity) AS total FROM stock_movements GROUP BY part_id) m
WHERE m.part_id = p.id;

-- Half of the orders were opened with an Idempotency-Key.
INSERT INTO idempotency_keys (actor_id, key, request_hash, service_order_id, created_at)
SELECT h.changed_by_staff_id, 'key-' || h.service_order_id, md5(h.service_order_id::text)
         || md5(h.service_order_id::text), h.service_order_id, h.changed_at
FROM service_order_status_history h
WHERE h.from_status IS NULL AND abs(hashtext(h.service_order_id::text)) % 2 = 0;

-- Failed sign-ins currently being throttled.
INSERT INTO auth_attempts (key_hash, failures, window_started_at, last_failed_at)
SELECT encode(sha256(convert_to(lpad(c::text, 11, '0'), 'UTF8')), 'hex'), c % 5 + 1,
       now() - interval '5 minutes', now()
FROM generate_series(1, 500) c;

-- Outbox: one event per customer-facing move of the last 30 days (older sent events are
-- purged, see the README's retention notes); the last hour's events are still pending.
INSERT INTO outbox_events (service_order_id, event_type, payload, request_id, state, attempts,
                           next_attempt_at, created_at, published_at)
SELECT h.service_order_id,
       'service_order.' || lower(h.to_status),
       jsonb_build_object('event_type', 'service_order.' || lower(h.to_status),
                          'order', jsonb_build_object('id', h.service_order_id,
                                                      'status', h.to_status),
                          'customer', jsonb_build_object('name', 'Customer (synthetic)')),
       md5(h.id::text),
       CASE WHEN h.changed_at > now() - interval '1 hour' THEN 'pending' ELSE 'sent' END,
       CASE WHEN h.changed_at > now() - interval '1 hour' THEN 0 ELSE 1 END,
       h.changed_at, h.changed_at,
       CASE WHEN h.changed_at > now() - interval '1 hour' THEN NULL ELSE h.changed_at END
FROM service_order_status_history h
WHERE h.to_status IN ('AWAITING_APPROVAL', 'COMPLETED', 'DELIVERED', 'CANCELLED')
  AND h.changed_at > now() - interval '30 days'
ORDER BY h.changed_at, h.id;
