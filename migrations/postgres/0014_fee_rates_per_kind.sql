-- The platform's fee rate per kind of sale: merchants.platform_fee_bp stays the reservations'
-- rate, ticket_fee_bp is the web tickets' (both start equal). A settlement keeps the rates it was
-- made with.
ALTER TABLE merchants ADD COLUMN ticket_fee_bp BIGINT NOT NULL DEFAULT 500;
UPDATE merchants SET ticket_fee_bp = platform_fee_bp;
ALTER TABLE settlements ADD COLUMN ticket_fee_bp BIGINT NOT NULL DEFAULT 0;
UPDATE settlements SET ticket_fee_bp = fee_bp;
