-- The unguessable token behind an order's customer pages (my web tickets, the online slip):
-- links carry it instead of the order number, which is sequential.
ALTER TABLE orders ADD COLUMN access_token TEXT;
CREATE UNIQUE INDEX orders_access_token ON orders (access_token);
CREATE INDEX orders_merchant_number ON orders (merchant_id, order_number);
CREATE INDEX tickets_order_usage ON tickets (order_id, usage);
