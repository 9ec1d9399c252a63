-- Reservations: what a cancellation kept and who cancelled (the policy fee is the merchant's,
-- unlike cancel_fee, which is the cancel-request fee the merchant pays).
ALTER TABLE orders ADD COLUMN cancellation_fee_kept BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN cancelled_by TEXT;
-- The policy as the customer saw it when booking: a later change of the product's policy does
-- not change what an existing booking costs to cancel.
ALTER TABLE orders ADD COLUMN cancellation_policy TEXT;
-- The no-show sweep and the monthly payout walk reservations by visit date across merchants.
CREATE INDEX orders_kind_visit ON orders (kind, visit_date, id);
CREATE INDEX orders_kind_cancelled ON orders (kind, cancelled_at);
-- Every order is counted once per kind of payout line: the database refuses a second line.
CREATE UNIQUE INDEX settlement_lines_order_kind ON settlement_lines (order_id, line_kind);
CREATE INDEX settlement_lines_settlement ON settlement_lines (settlement_id);
-- The fee rate a payout was made with (the merchant's rate may change afterwards).
ALTER TABLE settlements ADD COLUMN fee_bp BIGINT NOT NULL DEFAULT 0;
-- The door names who redeemed a ticket first (a user or an API token): kept on the ticket, so
-- the look-up never searches the history; the history is indexed by ticket for the order page.
ALTER TABLE tickets ADD COLUMN redeemed_by_label TEXT;
CREATE INDEX status_history_ticket ON status_history (ticket_id);
