-- 利用実績, its count and the day totals read a merchant's payments of a time range: with the
-- cancel time, amount, voucher type, store and terminal in the index, the count (with or without cancelled
-- payments, by amount) and the totals never touch the table.
DROP INDEX voucher_payments_merchant_paid;
CREATE INDEX voucher_payments_merchant_paid ON voucher_payments (merchant_id, paid_at, cancelled_at, amount, voucher_type_id, store_id, terminal_id);
