-- The goods list at a million orders: partial indexes, each small and each matching one of the
-- list's conditions exactly (a planner uses a partial index when the query's WHERE names the
-- same terms), covering what the condition reads so no table row is visited:
-- * goods orders in progress (通常処理) by payment status and age, with the method: the tabs;
-- * goods orders by payment method and age: 決済種別, with or without days;
-- * the destinations the tabs and さらに絞り込み look for (unshipped, without a tracking number,
--   store pickups), as sets of order ids (replacing the index by merchant and status);
-- * an order's destinations with their carrier (配送サービス), replacing the index by order alone
--   (the unique (order_id, position) one serves a look-up by order).
CREATE INDEX orders_goods_open ON orders (merchant_id, payment_status, ordered_at, payment_method) WHERE kind = 'goods' AND status = 'normal';
CREATE INDEX orders_goods_method ON orders (merchant_id, payment_method, ordered_at) WHERE kind = 'goods';
CREATE INDEX shipments_unshipped ON shipments (merchant_id, order_id) WHERE status = 'unshipped';
CREATE INDEX shipments_untracked ON shipments (merchant_id, order_id) WHERE method = 'delivery' AND tracking_number = '';
CREATE INDEX shipments_pickup ON shipments (merchant_id, order_id) WHERE method = 'pickup';
CREATE INDEX shipments_order_carrier ON shipments (order_id, carrier);
DROP INDEX shipments_merchant_status;
DROP INDEX shipments_order;
