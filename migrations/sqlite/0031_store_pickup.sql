-- 店舗受取: a store's opening hours shown to the buyer who picks up there, and the store a
-- pickup destination is collected from.
ALTER TABLE stores ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE shipments ADD COLUMN store_id BIGINT;
