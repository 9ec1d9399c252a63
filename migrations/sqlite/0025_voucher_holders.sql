-- Voucher holders (a resident's electronic ticket): signed in by a random link token kept as its
-- SHA-256. A holder has one account (balance) per voucher type of the programme.
CREATE TABLE voucher_holders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id BIGINT NOT NULL REFERENCES voucher_programs(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE INDEX voucher_holders_program ON voucher_holders (program_id);

ALTER TABLE voucher_accounts ADD COLUMN holder_id BIGINT REFERENCES voucher_holders(id);
CREATE UNIQUE INDEX voucher_accounts_holder_type ON voucher_accounts (holder_id, voucher_type_id);

-- Every grant is a ledger row: the balance is grants − payments + cancelled payments.
CREATE TABLE voucher_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id BIGINT NOT NULL REFERENCES voucher_programs(id),
    holder_id BIGINT NOT NULL REFERENCES voucher_holders(id),
    account_id BIGINT NOT NULL REFERENCES voucher_accounts(id),
    amount BIGINT NOT NULL CHECK (amount > 0),
    memo TEXT NOT NULL DEFAULT '',
    granted_at BIGINT NOT NULL
);
CREATE INDEX voucher_grants_holder ON voucher_grants (holder_id, granted_at);

-- A payment remembers its holder and the answer it gave (balance_after), so a retry with the
-- same Idempotency-Key (client_request_id = holder id + key) gets the first answer again.
ALTER TABLE voucher_payments ADD COLUMN holder_id BIGINT REFERENCES voucher_holders(id);
ALTER TABLE voucher_payments ADD COLUMN program_id BIGINT REFERENCES voucher_programs(id);
ALTER TABLE voucher_payments ADD COLUMN balance_after BIGINT NOT NULL DEFAULT 0;
ALTER TABLE voucher_payments ADD COLUMN cancelled_by_label TEXT NOT NULL DEFAULT '';
CREATE INDEX voucher_payments_holder ON voucher_payments (holder_id, paid_at);
CREATE INDEX voucher_payments_program_paid ON voucher_payments (program_id, paid_at);
