-- リジェクト注文情報 (seed 003) and the merchant's fraud rules. The 0001 placeholder
-- `rejected_orders` gains what the manual shows of a rejected order: its orderer (注文者情報),
-- payment method, amount, channel and operator; `payload` holds its lines (内訳) as JSON and
-- `reason` the code of why (`card_declined`, `fraud_amount`, `fraud_phone_rate`, `fraud_blocked`).
ALTER TABLE rejected_orders ADD COLUMN reason_detail TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN operator TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN payment_method TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rejected_orders ADD COLUMN customer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN customer_kana TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN customer_email TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN customer_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE rejected_orders ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX rejected_orders_merchant_at ON rejected_orders (merchant_id, at);
CREATE INDEX orders_merchant_phone_ordered ON orders (merchant_id, customer_phone, ordered_at);

-- The merchant admin's fraud rules: 0 is off; block lists are one entry per line.
CREATE TABLE fraud_rules (
    merchant_id BIGINT PRIMARY KEY REFERENCES merchants(id),
    max_amount BIGINT NOT NULL DEFAULT 0,
    max_orders_per_phone_hour BIGINT NOT NULL DEFAULT 0,
    blocked_phones TEXT NOT NULL DEFAULT '',
    blocked_addresses TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
