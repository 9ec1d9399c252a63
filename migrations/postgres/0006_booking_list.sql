-- 予約一覧: the door's outcome of a reservation kept beside its order (the ticket keeps the full
-- record: who, when, the note), so the list filters, counts and sums a day's bookings from the
-- orders alone, and reads them in visit order (date, slot, order) straight off one index.
ALTER TABLE orders ADD COLUMN door_state TEXT NOT NULL DEFAULT 'open';
ALTER TABLE orders ADD COLUMN party_size_came BIGINT;
UPDATE orders SET door_state = 'redeemed',
    party_size_came = (SELECT COALESCE(t.party_size_actual, orders.party_size, 1) FROM tickets t WHERE t.order_id = orders.id AND t.redeemed_at IS NOT NULL ORDER BY t.id LIMIT 1)
  WHERE kind = 'reservation' AND EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = orders.id AND t.redeemed_at IS NOT NULL);
UPDATE orders SET door_state = 'no_show'
  WHERE kind = 'reservation' AND door_state = 'open' AND EXISTS (SELECT 1 FROM tickets t WHERE t.order_id = orders.id AND t.status = 'no_show');
CREATE INDEX orders_merchant_kind_visit ON orders (merchant_id, kind, visit_date, (COALESCE(time_slot, '')), id);
-- Covered by the index above (every visit-date query names merchant and kind) and by
-- orders_merchant_ordered_id (its prefix): fewer indexes for every order write to keep up.
DROP INDEX orders_merchant_visit;
DROP INDEX orders_merchant_ordered;
-- PostgreSQL only
-- Room on each page for the door's updates (redemption, no-show sweep) to stay HOT: they change
-- no indexed column, so PostgreSQL can rewrite the row in place of updating every index.
ALTER TABLE orders SET (fillfactor = 90);
