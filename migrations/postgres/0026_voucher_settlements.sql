-- A voucher programme's settlement of one merchant for one period of the programme's cycle
-- (精算管理 → 支払一覧): made once by the settlement job after the period's 24-hour cancel window
-- closed. Each payment names the settlement that paid it, so it is counted exactly once; a
-- payment the platform cancels after it was paid is taken back in the merchant's next
-- settlement (reversal_settlement_id), also exactly once.
CREATE TABLE voucher_settlements (
    id BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES voucher_programs(id),
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    payout_date TEXT NOT NULL,
    payments BIGINT NOT NULL,
    paid_amount BIGINT NOT NULL,
    reversals BIGINT NOT NULL,
    reversed_amount BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (program_id, merchant_id, period_start)
);
CREATE INDEX voucher_settlements_merchant ON voucher_settlements (merchant_id, period_start);

ALTER TABLE voucher_payments ADD COLUMN settlement_id BIGINT REFERENCES voucher_settlements(id);
ALTER TABLE voucher_payments ADD COLUMN reversal_settlement_id BIGINT REFERENCES voucher_settlements(id);
