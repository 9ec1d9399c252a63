-- Coupons and AD codes on orders (issue 23): an order keeps the coupon it used (`coupon_id`,
-- `discount`, both from 0001) and the AD code (媒体) it came from. The promotions report counts
-- orders per code over a date range.
ALTER TABLE orders ADD COLUMN ad_code_id BIGINT REFERENCES ad_codes(id);
CREATE INDEX orders_merchant_ad_code ON orders (merchant_id, ad_code_id, ordered_at);
CREATE INDEX orders_merchant_coupon ON orders (merchant_id, coupon_id, ordered_at);
