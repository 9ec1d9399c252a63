-- Stored cards (登録クレジットカード, seed 003). kippu never sees a card number: the card is
-- registered at the payment company, which gives it a card id; kippu keeps the copy 「情報取得」
-- fetched (brand, last 4 digits, expiry) per customer. The 0001 placeholder `stored_cards` is
-- that copy: its `gateway_token` becomes the gateway's `card_id`. A card missing from a later
-- fetch (or deleted) keeps its row with `deleted_at`, so a subscription pointing at it stays
-- readable.
ALTER TABLE stored_cards RENAME COLUMN gateway_token TO card_id;
ALTER TABLE stored_cards ADD COLUMN fetched_at BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX stored_cards_merchant_customer_card ON stored_cards (merchant_id, customer_id, card_id);

-- NOT kippu's data: the sandbox gateway's own storage, standing in for the payment company's
-- database (docs/decisions.md, "The sandbox gateway's cards"). Only `gateway::SandboxGateway`
-- reads or writes it, through `kippu_store::sandbox_gateway`; a real processor keeps this on its
-- side. `customer_ref` is the customer as kippu names it to the processor.
CREATE TABLE sandbox_gateway_cards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    card_id TEXT NOT NULL UNIQUE,
    customer_ref TEXT NOT NULL,
    token TEXT NOT NULL,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    exp_month BIGINT NOT NULL,
    exp_year BIGINT NOT NULL,
    decline_on_charge BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX sandbox_gateway_cards_customer ON sandbox_gateway_cards (customer_ref, id);
