-- Which plain choices the storefront offers buyers (「クレジットカード」 card, 「銀行振込」 bank,
-- 「現地払い」 venue), in that order, set on 決済設定; never empty.
ALTER TABLE merchants ADD COLUMN offered_payments TEXT NOT NULL DEFAULT 'card,bank,venue';
