-- Shipped goods (seed 002). A goods order keeps its order status (normal / processed) in
-- orders.status and its payment status in orders.payment_status ('unpaid' / 'paid', with the
-- payment date typed in orders.payment_date); its destinations (お届け先) are shipments rows,
-- numbered from 1 per order, each with its own lines (order_lines.shipment_id), fee and
-- shipping status. orders.shipping_fee is the sum of the destinations' fees and
-- orders.handling_fee the cash-on-delivery fee.
ALTER TABLE shipments ADD COLUMN position BIGINT NOT NULL DEFAULT 1;
ALTER TABLE shipments ADD COLUMN recipient_kana TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN requested_date TEXT;
ALTER TABLE shipments ADD COLUMN time_band TEXT;
ALTER TABLE shipments ADD COLUMN ship_date TEXT;
ALTER TABLE shipments ADD COLUMN shipping_fee BIGINT NOT NULL DEFAULT 0;
ALTER TABLE shipments ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX shipments_order_position ON shipments (order_id, position);
CREATE INDEX shipments_merchant_status ON shipments (merchant_id, status);
ALTER TABLE order_lines ADD COLUMN shipment_id BIGINT REFERENCES shipments(id);
ALTER TABLE orders ADD COLUMN payment_date TEXT;
CREATE INDEX orders_merchant_kind ON orders (merchant_id, kind, ordered_at);

-- A merchant's shipping fee rule and its point policy.
ALTER TABLE merchants ADD COLUMN shipping_base_fee BIGINT NOT NULL DEFAULT 0;
ALTER TABLE merchants ADD COLUMN shipping_free_from BIGINT;
ALTER TABLE merchants ADD COLUMN cod_fee BIGINT NOT NULL DEFAULT 330;
ALTER TABLE merchants ADD COLUMN points_rate_bp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE merchants ADD COLUMN points_activation TEXT NOT NULL DEFAULT 'by_admin';
CREATE TABLE shipping_prefecture_fees (
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    prefecture TEXT NOT NULL,
    fee BIGINT NOT NULL CHECK (fee >= 0),
    PRIMARY KEY (merchant_id, prefecture)
);
