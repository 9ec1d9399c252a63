-- Goods sales reach the monthly settlement: the platform's fee rate on goods (starting at the
-- merchant's reservation rate, like the web tickets' did) and the settlement's goods total and
-- the rate it was made with.
ALTER TABLE merchants ADD COLUMN goods_fee_bp BIGINT NOT NULL DEFAULT 500;
UPDATE merchants SET goods_fee_bp = platform_fee_bp;
ALTER TABLE settlements ADD COLUMN goods_sales BIGINT NOT NULL DEFAULT 0;
ALTER TABLE settlements ADD COLUMN goods_fee_bp BIGINT NOT NULL DEFAULT 0;
UPDATE settlements SET goods_fee_bp = fee_bp;
