-- 回数券: a ticket good for several uses (products.uses_per_ticket, there from the start); each
-- use is a row with its time (the last one can be
-- undone). Every other ticket has one use and keeps its usage on the ticket as before.
CREATE TABLE ticket_uses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    used_at BIGINT NOT NULL,
    actor_label TEXT NOT NULL
);
CREATE INDEX ticket_uses_ticket ON ticket_uses (ticket_id, id);
