-- 代理注文 (seed 003 注文入力): how an order came in (`entry_channel`: 'direct', or 'proxy' when
-- a signed-in operator entered it in the console), and the console's draft of an order per
-- operator and customer (the cart and the fields as typed, JSON), kept until ordered or cleared.
ALTER TABLE orders ADD COLUMN entry_channel TEXT NOT NULL DEFAULT 'direct';
CREATE TABLE order_drafts (
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, customer_id)
);
