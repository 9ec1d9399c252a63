-- Whether an OTA channel's API token may redeem (引き換え) its own channel's bookings at the
-- door: the merchant decides per channel on 販売チャネル. Off until the merchant allows it.
ALTER TABLE channels ADD COLUMN may_redeem BIGINT NOT NULL DEFAULT 0;
