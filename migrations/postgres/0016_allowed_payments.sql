-- The storefront choices the platform operator has enabled for a merchant (its payment
-- contracts): orders of any channel may only use these, and the merchant's offered_payments
-- stay within them. Every existing merchant keeps all three.
ALTER TABLE merchants ADD COLUMN allowed_payments TEXT NOT NULL DEFAULT 'card,bank,venue';
