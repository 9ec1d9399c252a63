-- Goods cancellations and partial refunds (一部返金): every refund is a row, so one order can be
-- refunded several times and each refund reaches the settlement of its own month exactly once.
CREATE TABLE goods_refunds (
    id BIGSERIAL PRIMARY KEY,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_id BIGINT NOT NULL REFERENCES orders(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    -- `cancel` (the rest of the order, with the cancellation) or `partial`.
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    refunded_at BIGINT NOT NULL
);
CREATE INDEX goods_refunds_order ON goods_refunds (order_id);
CREATE INDEX goods_refunds_merchant_at ON goods_refunds (merchant_id, refunded_at);

-- A settlement line of a goods refund names its refund: the order-and-kind uniqueness holds
-- for every other line, the refund's own for these.
ALTER TABLE settlement_lines ADD COLUMN goods_refund_id BIGINT REFERENCES goods_refunds(id);
DROP INDEX settlement_lines_order_kind;
CREATE UNIQUE INDEX settlement_lines_order_kind ON settlement_lines (order_id, line_kind) WHERE goods_refund_id IS NULL;
CREATE UNIQUE INDEX settlement_lines_goods_refund ON settlement_lines (goods_refund_id) WHERE goods_refund_id IS NOT NULL;
