-- How a buyer pays what is not paid at the order (issue 22): the payment company's コンビニ
-- 受付番号 with its chains, or the 振込先口座 of a bank transfer, each with its 支払期限 / 振込期限
-- (due_at), written with the order. The daily job queues one reminder at remind_at (bank
-- transfers, when the merchant wants one) and, past due_at, cancels the order if it is still
-- unpaid; closed_at records that the job is done with it (cancelled, or found paid).
CREATE TABLE payment_instructions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders(id),
    method TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    chains TEXT NOT NULL DEFAULT '',
    bank_name TEXT NOT NULL DEFAULT '',
    bank_branch TEXT NOT NULL DEFAULT '',
    account_kind TEXT NOT NULL DEFAULT '',
    account_number TEXT NOT NULL DEFAULT '',
    account_holder TEXT NOT NULL DEFAULT '',
    due_at BIGINT NOT NULL,
    remind_at BIGINT,
    reminded_at BIGINT,
    closed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX payment_instructions_open ON payment_instructions (closed_at, due_at);

-- 決済設定: the days a buyer has to pay (振込期限 after the order; the payment company's
-- コンビニ支払期限), the days before the 振込期限 a reminder goes (0: none), and whether an
-- order unpaid past its deadline is cancelled by the daily job.
ALTER TABLE merchants ADD COLUMN bank_due_days BIGINT NOT NULL DEFAULT 7;
ALTER TABLE merchants ADD COLUMN bank_reminder_days BIGINT NOT NULL DEFAULT 2;
ALTER TABLE merchants ADD COLUMN konbini_due_days BIGINT NOT NULL DEFAULT 3;
ALTER TABLE merchants ADD COLUMN cancel_unpaid BIGINT NOT NULL DEFAULT 1;

-- The platform's (事務局) account a 前払い銀行払い・事務局口座 is paid into.
ALTER TABLE platform ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE platform ADD COLUMN bank_branch TEXT NOT NULL DEFAULT '';
ALTER TABLE platform ADD COLUMN bank_account_kind TEXT NOT NULL DEFAULT 'ordinary';
ALTER TABLE platform ADD COLUMN bank_account_number TEXT NOT NULL DEFAULT '';
ALTER TABLE platform ADD COLUMN bank_account_holder TEXT NOT NULL DEFAULT '';

-- Every method family kippu has is now the platform's to allow and the merchant's to switch
-- on: 代金引換, コンビニ支払い and 店頭払い were always available, so every merchant keeps them.
UPDATE merchants SET allowed_payments = allowed_payments || ',cod,konbini,store_pay',
    offered_payments = offered_payments || ',cod,konbini,store_pay';
