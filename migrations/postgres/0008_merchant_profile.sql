-- A merchant onboarded by the platform operator (no demo data): its 適格請求書 registration
-- number, a contact, and the bank account its payouts go to (the number is shown masked).
ALTER TABLE merchants ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN invoice_number TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN bank_branch TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN bank_account_kind TEXT NOT NULL DEFAULT 'ordinary';
ALTER TABLE merchants ADD COLUMN bank_account_number TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN bank_account_holder TEXT NOT NULL DEFAULT '';
ALTER TABLE merchants ADD COLUMN status_changed_at BIGINT;
