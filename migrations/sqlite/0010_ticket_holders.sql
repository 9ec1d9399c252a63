-- A transferred ticket's new holder gets a link of their own (/my/ticket/{holder_token}) to the
-- ticket and its QR code, never to the orderer's page.
ALTER TABLE tickets ADD COLUMN holder_token TEXT;
CREATE UNIQUE INDEX tickets_holder_token ON tickets (holder_token);
