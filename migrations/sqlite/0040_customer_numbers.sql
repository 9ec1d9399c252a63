-- 代理注文管理's customers (seed 003): a customer number per merchant (1, 2, 3 … in the order
-- customers were registered), the phone's digits for searching however it was typed, the
-- birthday and the operator's notes; indexes for 顧客検索 and the customer's order figures.
ALTER TABLE customers ADD COLUMN customer_number BIGINT NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN phone_digits TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN birthday TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN notes TEXT NOT NULL DEFAULT '';

UPDATE customers SET customer_number = r.n
    FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY merchant_id ORDER BY id) AS n FROM customers) AS r
    WHERE r.id = customers.id;
UPDATE customers SET phone_digits = REPLACE(REPLACE(REPLACE(REPLACE(phone, '-', ''), ' ', ''), '(', ''), ')', '');

-- The next number of each merchant's customers.
INSERT INTO sequences (name, next_value)
    SELECT 'customer_number/' || merchant_id, MAX(customer_number) + 1 FROM customers GROUP BY merchant_id;

CREATE UNIQUE INDEX customers_merchant_number ON customers (merchant_id, customer_number);
CREATE INDEX customers_merchant_phone ON customers (merchant_id, phone_digits);
CREATE INDEX customers_merchant_name ON customers (merchant_id, name);
CREATE INDEX orders_merchant_customer ON orders (merchant_id, customer_id, ordered_at);
