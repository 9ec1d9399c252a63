-- One monthly settlement per merchant covers every sale the platform collected: reservations as
-- before, and now web tickets paid into the platform's account, with promotion costs deducted.
ALTER TABLE settlements ADD COLUMN ticket_sales BIGINT NOT NULL DEFAULT 0;
ALTER TABLE settlements ADD COLUMN promotion_costs BIGINT NOT NULL DEFAULT 0;
UPDATE settlements SET kind = 'monthly' WHERE kind = 'reservation';
CREATE INDEX orders_merchant_paid ON orders (merchant_id, paid_at);
