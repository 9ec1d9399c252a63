-- The storefront offers buyers plain choices (クレジットカード, 銀行振込, 現地払い); the merchant's
-- settings decide which flow each takes: the card mode (与信モード card_auth or 仮実同時モード
-- card_capture) and the account a bank transfer goes to (事務局口座 bank_platform or 店舗口座
-- bank_store), as the manual's 基本設定 does.
ALTER TABLE merchants ADD COLUMN card_mode TEXT NOT NULL DEFAULT 'card_capture';
ALTER TABLE merchants ADD COLUMN bank_account TEXT NOT NULL DEFAULT 'bank_store';
