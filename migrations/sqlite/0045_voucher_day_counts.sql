-- 利用実績's counts kept, not counted (issue 26): per Japanese day, store, terminal, voucher type
-- and programme, the payments made that day and how many of them were cancelled since. Written in
-- the same transaction as each payment and cancellation (store/vouchers/day_counts.rs), so
-- 該当件数 over three months, 日別 and 月別 read a few rows instead of every payment.
-- `shard` (the payment id mod 8) spreads concurrent payments at one terminal over eight rows, so
-- they never wait on one another's row lock on PostgreSQL; readers sum over it.
CREATE TABLE voucher_day_counts (
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    day BIGINT NOT NULL,
    store_id BIGINT NOT NULL,
    terminal_id BIGINT NOT NULL,
    voucher_type_id BIGINT NOT NULL,
    program_id BIGINT NOT NULL DEFAULT 0,
    shard BIGINT NOT NULL DEFAULT 0,
    payments BIGINT NOT NULL DEFAULT 0,
    amount BIGINT NOT NULL DEFAULT 0,
    cancelled BIGINT NOT NULL DEFAULT 0,
    cancelled_amount BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (merchant_id, day, store_id, terminal_id, voucher_type_id, program_id, shard)
);

INSERT INTO voucher_day_counts (merchant_id, day, store_id, terminal_id, voucher_type_id, program_id, shard,
                                payments, amount, cancelled, cancelled_amount)
SELECT merchant_id, (paid_at + 32400000) / 86400000, store_id, terminal_id, voucher_type_id, COALESCE(program_id, 0), id % 8,
       COUNT(*), SUM(amount),
       SUM(CASE WHEN cancelled_at IS NULL THEN 0 ELSE 1 END),
       SUM(CASE WHEN cancelled_at IS NULL THEN 0 ELSE amount END)
FROM voucher_payments
GROUP BY merchant_id, (paid_at + 32400000) / 86400000, store_id, terminal_id, voucher_type_id, COALESCE(program_id, 0), id % 8;

-- 金額 is the one 利用実績 filter the counts do not keep: its payments are found on their own index.
CREATE INDEX voucher_payments_merchant_amount ON voucher_payments (merchant_id, amount, paid_at);
