-- 受注編集 (seed 002): the points a goods order spends (ポイント利用, 1 point = 1 yen off its
-- total), taken from the customer's one point ledger and given back when reduced or cancelled.
ALTER TABLE orders ADD COLUMN points_used BIGINT NOT NULL DEFAULT 0;
