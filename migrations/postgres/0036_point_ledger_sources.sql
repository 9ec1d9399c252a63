-- One ledger for points (issue 22): every entry says where its points came from (a goods
-- order, the online slip of a pay-at-venue ticket, a change by hand, the migration's opening).
ALTER TABLE point_ledger ADD COLUMN source TEXT NOT NULL DEFAULT 'goods_order';
UPDATE point_ledger SET source = 'manual' WHERE reason = 'adjusted';
UPDATE point_ledger SET source = 'migration' WHERE reason = 'opening';
UPDATE point_ledger SET source = 'venue_slip' WHERE order_id IN (SELECT id FROM orders WHERE kind <> 'goods');

-- Until now the online slip's 【暗証番号を入れてポイント発行】 wrote usable points without a
-- ledger entry or a balance. Post them for customers whose balance did not open with them
-- (an opening balance of 0019 already counts the points usable then).
INSERT INTO point_ledger (merchant_id, customer_id, order_id, delta, balance_after, reason, note, actor_label, created_at, source)
    SELECT p.merchant_id, p.customer_id, p.order_id, p.points,
           c.points_balance + SUM(p.points) OVER (PARTITION BY p.customer_id ORDER BY p.id),
           'earned', '', 'online-slip', p.created_at, 'venue_slip'
    FROM points p JOIN orders o ON o.id = p.order_id JOIN customers c ON c.id = p.customer_id
    WHERE p.status = 'active' AND o.kind <> 'goods'
      AND NOT EXISTS (SELECT 1 FROM point_ledger l WHERE l.order_id = p.order_id)
      AND NOT EXISTS (SELECT 1 FROM point_ledger l WHERE l.customer_id = p.customer_id AND l.reason = 'opening');
UPDATE customers SET points_balance = (
    SELECT l.balance_after FROM point_ledger l WHERE l.customer_id = customers.id ORDER BY l.id DESC LIMIT 1)
    WHERE id IN (SELECT customer_id FROM point_ledger WHERE source = 'venue_slip' AND actor_label = 'online-slip');

-- Each order's points (付与) carry their source too, so an entry posted when they move says it.
ALTER TABLE points ADD COLUMN source TEXT NOT NULL DEFAULT 'goods_order';
UPDATE points SET source = 'venue_slip' WHERE order_id IN (SELECT id FROM orders WHERE kind <> 'goods');
