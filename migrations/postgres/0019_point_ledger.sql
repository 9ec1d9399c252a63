-- A customer's points as a ledger (seed 002 ポイント): every change of a customer's usable
-- points is an entry with the balance after it; the balance on the customer row is what the
-- next entry starts from, and it never goes below zero.
ALTER TABLE customers ADD COLUMN points_balance BIGINT NOT NULL DEFAULT 0 CHECK (points_balance >= 0);

CREATE TABLE point_ledger (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    order_id BIGINT REFERENCES orders(id),
    delta BIGINT NOT NULL,
    balance_after BIGINT NOT NULL CHECK (balance_after >= 0),
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor_label TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX point_ledger_customer ON point_ledger (merchant_id, customer_id, id);

-- Points already usable open each customer's ledger.
UPDATE customers SET points_balance = COALESCE(
    (SELECT SUM(p.points) FROM points p WHERE p.customer_id = customers.id AND p.status = 'active'), 0);
INSERT INTO point_ledger (merchant_id, customer_id, order_id, delta, balance_after, reason, created_at)
    SELECT merchant_id, id, NULL, points_balance, points_balance, 'opening', 0 FROM customers WHERE points_balance > 0;
