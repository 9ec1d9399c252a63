-- Code coupons and AD codes (seed 003 代理注文管理). A coupon's uses are counted on its row by
-- one guarded UPDATE (never above its total limit), and each use is a row naming the customer
-- and the order: at most one coupon per order.
ALTER TABLE coupons ADD COLUMN min_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE coupons ADD COLUMN per_customer BIGINT;
ALTER TABLE coupons ADD COLUMN total_limit BIGINT;
ALTER TABLE coupons ADD COLUMN used_count BIGINT NOT NULL DEFAULT 0 CHECK (used_count >= 0);
ALTER TABLE coupons ADD COLUMN enabled BIGINT NOT NULL DEFAULT 1;
ALTER TABLE coupons ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

CREATE TABLE coupon_uses (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    coupon_id BIGINT NOT NULL REFERENCES coupons(id),
    customer_id BIGINT REFERENCES customers(id),
    order_id BIGINT REFERENCES orders(id),
    discount BIGINT NOT NULL CHECK (discount >= 0),
    used_at BIGINT NOT NULL
);
CREATE INDEX coupon_uses_customer ON coupon_uses (coupon_id, customer_id);
CREATE UNIQUE INDEX coupon_uses_order ON coupon_uses (order_id);

CREATE TABLE ad_codes (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    enabled BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (merchant_id, code)
);
