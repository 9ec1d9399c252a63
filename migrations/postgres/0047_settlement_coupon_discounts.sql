-- 精算: the coupon discounts of goods sales, borne by the merchant (クーポン割引（加盟店負担）), as a
-- total of the monthly settlement beside its goods sales and points.
ALTER TABLE settlements ADD COLUMN coupon_discounts BIGINT NOT NULL DEFAULT 0;
