-- 定期マスタ and 頒布会. The foundation's placeholder tables get what a master keeps: its cycle
-- (kind, every N, day of month or weekday), the course it follows, the deliveries made, where
-- it ships, fee overrides and the order it came from.
-- 頒布会: a merchant's ordered list of products, one per delivery.
CREATE TABLE courses (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (merchant_id, code)
);

CREATE TABLE course_items (
    course_id BIGINT NOT NULL REFERENCES courses(id),
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    position BIGINT NOT NULL,
    product_id BIGINT NOT NULL REFERENCES products(id),
    PRIMARY KEY (course_id, position)
);

ALTER TABLE subscriptions RENAME COLUMN cycle_days TO cycle_every;
ALTER TABLE subscriptions ADD COLUMN cycle_kind TEXT NOT NULL DEFAULT 'days';
ALTER TABLE subscriptions ADD COLUMN cycle_day BIGINT;
ALTER TABLE subscriptions ADD COLUMN cycle_weekday TEXT;
ALTER TABLE subscriptions ADD COLUMN course_id BIGINT REFERENCES courses(id);
ALTER TABLE subscriptions ADD COLUMN deliveries BIGINT NOT NULL DEFAULT 1;
ALTER TABLE subscriptions ADD COLUMN origin_order_id BIGINT REFERENCES orders(id);
ALTER TABLE subscriptions ADD COLUMN shipping_fee BIGINT;
ALTER TABLE subscriptions ADD COLUMN handling_fee BIGINT;
ALTER TABLE subscriptions ADD COLUMN ship_name TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN ship_kana TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN ship_postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN ship_address TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN ship_phone TEXT NOT NULL DEFAULT '';
CREATE INDEX subscriptions_due ON subscriptions (status, next_date);
CREATE INDEX subscriptions_customer ON subscriptions (merchant_id, customer_id);

-- A master's history: every change, who made it and when.
CREATE TABLE subscription_history (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    subscription_id BIGINT NOT NULL REFERENCES subscriptions(id),
    at BIGINT NOT NULL,
    user_id BIGINT,
    action TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX subscription_history_master ON subscription_history (subscription_id, at);

-- A child order's cycle date: one child per master and date, whatever runs the job twice.
ALTER TABLE orders ADD COLUMN subscription_cycle_date TEXT;
CREATE UNIQUE INDEX orders_subscription_cycle ON orders (subscription_id, subscription_cycle_date);
