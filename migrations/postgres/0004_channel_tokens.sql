-- An API token can belong to one sales channel (an OTA's connection): orders taken with it are
-- that channel's. (channels.api_token_id from 0001 is superseded by this and left unused.)
ALTER TABLE api_tokens ADD COLUMN channel_id BIGINT REFERENCES channels(id);
