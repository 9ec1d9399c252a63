-- 予約一覧: each merchant's reservations by visit date (the list's default is "from today").
CREATE INDEX orders_merchant_kind_visit ON orders (merchant_id, kind, visit_date, id);
