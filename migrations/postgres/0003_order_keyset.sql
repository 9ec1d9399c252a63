-- Keyset paging of the order list and the CSV export walks (merchant, ordered_at, id)
-- backwards; one index serves both databases' plans.
CREATE INDEX orders_merchant_ordered_id ON orders (merchant_id, ordered_at, id);
