-- 宿泊タイプ: an order's nights (NULL for every other kind). orders.visit_date is the check-in
-- date; each night is its own order line with that night's date and stock row, so stock is
-- restored night by night and sales per date count every night of a stay.
ALTER TABLE orders ADD COLUMN nights BIGINT;
